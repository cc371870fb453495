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
  // The portal refuses one notification as malformed (400) until the refusal is deleted.
  app.put('/control/portal/refuse/:notificationId', (c) => { state.portalNotifications.refusing.add(c.req.param('notificationId')); return c.body(null, 204); });
  app.delete('/control/portal/refuse/:notificationId', (c) => { state.portalNotifications.refusing.delete(c.req.param('notificationId')); return c.body(null, 204); });
  return app;
}
