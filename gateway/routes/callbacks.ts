/** `POST /v1/callbacks/registries/{registry}`: late answers, signature checked before anything else. */
import { Hono } from 'hono';
import { receiveRegistryAnswer } from '../../services/registry-callbacks.js';
import { invalid } from '../../services/errors.js';
import type { GatewayEnv } from '../env.js';

export function callbackRoutes(verify: (registry: string, signature: string | undefined, body: Uint8Array) => Promise<void>) {
  const app = new Hono<GatewayEnv>();
  app.post('/registries/:registry', async (c) => {
    const registry = c.req.param('registry');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    await verify(registry, c.req.header('x-registry-signature'), bytes);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw invalid('malformed-json', '(body)', { fa: 'JSON نامعتبر است', en: 'malformed JSON' }, (error as Error).message);
    }
    return c.json(await receiveRegistryAnswer({ deps: c.var.deps, registry, body }));
  });
  return app;
}
