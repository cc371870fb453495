/** Applications: submit, read, list, withdraw, and the public tracking view. */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { applications } from '../../db/schema/index.js';
import { getApplication, listApplications, submitApplication, withdrawApplication } from '../../services/applications.js';
import { invalid, notFound } from '../../services/errors.js';
import { normaliseText } from '../../services/identifiers.js';
import type { GatewayEnv } from '../env.js';
import { readJson } from '../json-body.js';

export function applicationRoutes() {
  const app = new Hono<GatewayEnv>();
  const ctx = (c: { var: GatewayEnv['Variables'] }) => ({ deps: c.var.deps, actor: c.var.actor });

  app.post('/', async (c) => {
    const submitted = await submitApplication({ ctx: ctx(c), input: await readJson(c) });
    return c.json(submitted, 202, { location: `/v1/applications/${submitted.applicationId}` });
  });
  app.get('/', async (c) => c.json({ items: await listApplications({ ctx: ctx(c), status: c.req.query('status') }) }));
  app.get('/:id', async (c) => c.json(await getApplication({ ctx: ctx(c), applicationId: c.req.param('id') })));
  app.post('/:id/withdrawal', async (c) => {
    const body = (await readJson(c)) as { reason?: unknown };
    if (typeof body?.reason !== 'string' || !body.reason.trim()) {
      throw invalid('reason-required', 'reason', { fa: 'ذکر دلیل الزامی است', en: 'a reason is required' });
    }
    return c.json(await withdrawApplication({ ctx: ctx(c), applicationId: c.req.param('id'), reason: body.reason }), 202);
  });
  return app;
}

/** `GET /v1/tracking/{code}`: the citizen's minimal view, no personal data. */
export function trackingRoutes() {
  const app = new Hono<GatewayEnv>();
  app.get('/:code', async (c) => {
    const code = normaliseText(c.req.param('code')).toUpperCase();
    const [row] = await c.var.deps.db.select({
      trackingCode: applications.trackingCode, licenceType: applications.licenceType, status: applications.status,
      currentStep: applications.currentStep, updatedAt: applications.updatedAt,
    }).from(applications).where(eq(applications.trackingCode, code));
    if (!row) throw notFound({ fa: 'کد پیگیری یافت نشد', en: 'tracking code not found' });
    return c.json(row);
  });
  return app;
}
