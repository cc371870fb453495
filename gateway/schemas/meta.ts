/** The gateway's own resources: health, readiness, the signing keys, and the API description. */
import { z } from 'zod';
import { responseSchema } from '../openapi/registry.js';

export const Health = responseSchema('Health', z.object({ status: z.literal('ok') }));
export const Ready = responseSchema('Ready', z.object({ status: z.literal('ready') }));

export const Jwk = responseSchema('Jwk', z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  kid: z.string().describe('RFC 7638 thumbprint; the `kid` in a response signature\'s header.'),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
}));

export const Jwks = responseSchema('Jwks', z.object({
  keys: z.array(Jwk).describe('The active key first, then retired keys (kept after a rotation so older signatures still verify).'),
}));

export const OpenApiDocument = responseSchema('OpenApiDocument', z.record(z.string(), z.unknown()).describe('This OpenAPI 3.1 document.'));
