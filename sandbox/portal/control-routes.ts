/**
 * Control API of the portal simulator: what it accepted and refused.
 * `POST /control/reset` clears it along with the rest of the sandbox.
 */
import { Hono } from 'hono';
import type { SandboxState } from '../state.js';

/** `GET /control/portal/notifications[?subject=]`, bound to `state`. */
export function portalControlRoutes(state: SandboxState): Hono {
  const app = new Hono();
  app.get('/control/portal/notifications', (c) => c.json(state.portalNotifications.view(c.req.query('subject'))));
  return app;
}
