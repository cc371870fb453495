/** The Hono context types of the gateway: the variables every route reads from `c.get()`. */
import type { JSONWebKeySet } from 'jose';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { Actor, ServiceDeps } from '../services/context.js';
import type { VerifiedCallback } from './registry-signature.js';

/** What the gateway's own routes need besides the services' dependencies. */
export interface GatewayServices {
  /** The response-signing public keys: active first, then retired. */
  jwks(): JSONWebKeySet;
  /** Throws when a dependency (database, Temporal) does not answer. */
  checkReady(): Promise<void>;
  /** Verifies a registry callback's `x-registry-signature` over the exact body bytes, against that registry's key; gives its `jti` and `iat`. */
  verifyRegistrySignature(registry: string, signature: string | undefined, body: Uint8Array): Promise<VerifiedCallback>;
  /** This gateway's OpenAPI document, as JSON, YAML and the HTML reference. */
  openapi: { document: OpenAPIObject; yaml: string; html: string };
  /** Prometheus metrics of this gateway, in the text exposition format. */
  metrics(): Promise<{ contentType: string; text: string }>;
}

/** The typed context variables every route sees. */
export type GatewayEnv = {
  Variables: {
    deps: ServiceDeps;
    actor: Actor;
    requestId: string;
    gateway: GatewayServices;
    /** A registry callback's verified signature (set by its route before the body is read). */
    registryCallback?: VerifiedCallback;
  };
};
