/** The offices' inbox and their decisions. */
import { Hono } from 'hono';
import { decideTask, listTasks } from '../../services/tasks.js';
import type { GatewayEnv } from '../env.js';
import { readJson } from '../json-body.js';

export function taskRoutes() {
  const app = new Hono<GatewayEnv>();
  app.get('/', async (c) => c.json({ items: await listTasks({ ctx: { deps: c.var.deps, actor: c.var.actor } }) }));
  app.post('/:taskId/decision', async (c) => {
    const body = (await readJson(c)) as { outcome?: unknown; reason?: unknown };
    const result = await decideTask({ ctx: { deps: c.var.deps, actor: c.var.actor }, taskId: c.req.param('taskId'), outcome: body?.outcome, reason: body?.reason });
    return c.json(result, 202);
  });
  return app;
}
