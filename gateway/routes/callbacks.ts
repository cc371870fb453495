/** `POST /v1/callbacks/registries/{registry}`: late answers, signature checked before anything else. */
import { receiveRegistryAnswer } from '../../services/registry-callbacks.js';
import { describeRoute } from '../openapi/route.js';
import { CallbackReceived, RegistryCallback, RegistryParam } from '../schemas/callbacks.js';
import * as examples from '../schemas/examples.js';

export const REGISTRY_SIGNATURE_HEADER = 'x-registry-signature';

export const callbackRoutes = [
  describeRoute({
    method: 'post', path: '/v1/callbacks/registries/{registry}', operationId: 'receiveRegistryAnswer', tags: ['callbacks'],
    summary: 'A slow registry delivers its answer', summaryFa: 'پاسخ دیرهنگام استعلام',
    description: 'Called by the security-clearance and criminal-record registries, not by integrators. The body must carry '
      + '`x-registry-signature`: a compact JWS with a detached payload over the exact body bytes, verified against the registry\'s '
      + 'key (that registry\'s own) before anything else; its protected header carries `typ: registry-callback+jws`, `iat` (within 5 minutes of '
      + 'our clock) and a unique `jti`. A repeated answer changes nothing (`duplicate`), so the registry may retry freely (signing each '
      + 'try anew); a replayed signature (a `jti` seen before) is answered from the record without reaching the process.',
    access: 'registry',
    request: {
      params: RegistryParam,
      headers: [{ name: REGISTRY_SIGNATURE_HEADER, required: true, description: 'Compact JWS, detached payload (`<protected>..<signature>`), ES256, over the exact body.', example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6InNhbmRib3gtcmVnaXN0cmllcyJ9..c2lnbmF0dXJl' }],
      body: {
        schema: RegistryCallback, example: examples.registryCallback,
        verify: async (c, bytes) => {
          c.set('registryCallback', await c.var.gateway.verifyRegistrySignature(c.req.param('registry') ?? '', c.req.header(REGISTRY_SIGNATURE_HEADER), bytes));
        },
      },
    },
    responses: { 200: { description: 'Recorded (or already recorded).', schema: CallbackReceived, example: { inquiryId: examples.registryCallback.inquiryId, status: 'delivered' } } },
  }, async ({ c, ctx, params, body }) => ({ status: 200, body: await receiveRegistryAnswer({ deps: ctx.deps, registry: params.registry, body, signed: c.var.registryCallback! }) })),
];
