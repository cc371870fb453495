import type { Actor, ServiceDeps } from '../services/context.js';

/** The typed context variables every route sees. */
export type GatewayEnv = {
  Variables: {
    deps: ServiceDeps;
    actor: Actor;
    requestId: string;
  };
};
