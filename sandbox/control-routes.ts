/**
 * Control API for tests and demos: the sandbox clock, recorded inquiries,
 * fault injection, reset, and the fixture person list. The portal
 * simulator's own control route is in portal/control-routes.ts.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { faultSchema, isFaultTarget } from './faults.js';
import { inquiryView } from './inquiries.js';
import { fixturePersons } from './persons.js';
import { problem, sendProblem } from './problem.js';
import type { SandboxState } from './state.js';

const clockSchema = z.union([
  z.object({ advanceMs: z.number().finite().min(0) }).strict(),
  z.object({ offsetMs: z.number().finite() }).strict(),
]);

/** Reads and validates a JSON body, or returns a 400 problem response. */
async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; res: Response }> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    return { ok: false, res: sendProblem(c, problem(400, 'invalid-body', 'Invalid request', 'The body is not valid JSON.')) };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const detail = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return { ok: false, res: sendProblem(c, problem(400, 'invalid-body', 'Invalid request', detail)) };
}

/** Routes under `/control`, `/fixtures` and `/health`, bound to `state`. */
export function controlRoutes(state: SandboxState): Hono {
  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/fixtures/persons', (c) =>
    c.json(
      fixturePersons(state.clock.now()).map((p) => ({
        nationalCode: p.nationalCode,
        description: p.description,
        firstName: p.firstName,
        lastName: p.lastName,
        birthDate: p.birthDate,
        sex: p.sex,
        county: p.county,
      })),
    ),
  );

  app.get('/control/clock', (c) => c.json(state.clock.snapshot()));

  app.post('/control/clock', async (c) => {
    const body = await readBody(c, clockSchema);
    if (!body.ok) return body.res;
    if ('advanceMs' in body.value) state.clock.advance(body.value.advanceMs);
    else state.clock.setOffset(body.value.offsetMs);
    state.releaseDueAnswers();
    return c.json(state.clock.snapshot());
  });

  app.get('/control/inquiries', (c) => {
    const filter = { registry: c.req.query('registry'), nationalCode: c.req.query('nationalCode') };
    return c.json(state.inquiries.list(filter).map(inquiryView));
  });

  app.post('/control/reset', (c) => {
    state.reset();
    return c.json({ status: 'reset' });
  });

  app.get('/control/faults', (c) => c.json(state.faults.list()));

  app.post('/control/faults', async (c) => {
    const body = await readBody(c, faultSchema);
    if (!body.ok) return body.res;
    state.faults.set(body.value);
    return c.json(state.faults.list());
  });

  app.delete('/control/faults', (c) => {
    const registry = c.req.query('registry');
    if (registry !== undefined && !isFaultTarget(registry)) {
      return sendProblem(c, problem(404, 'unknown-registry', 'Unknown registry', `No registry named "${registry}".`));
    }
    state.faults.clear(registry);
    return c.json(state.faults.list());
  });

  return app;
}
