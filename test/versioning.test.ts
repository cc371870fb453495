/**
 * Definitions are versioned: an application is pinned to the exact definition it started with,
 * so a definition edited while applications are in flight changes only new applications.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, tasks } from '../db/schema/index.js';
import { api, decide, eventually, generatedApplication } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'parvaneh-processes-'));
let h: Harness;
let portal: string;
let ahvaz: string;

beforeAll(async () => {
  cpSync('processes', dir, { recursive: true });
  h = await startHarness({ processesDir: dir });
  portal = await h.issuer.mint({ role: 'portal' });
  ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function submit(seed: number): Promise<{ applicationId: string; definitionVersion: number; definitionHash: string }> {
  const res = await api<{ applicationId: string; definitionVersion: number; definitionHash: string }>(h, 'POST', '/v1/applications', { token: portal, body: await generatedApplication(seed) });
  expect(res.status, res.text).toBe(202);
  return res.body;
}

async function openTasksAt(ids: string[], stepId: string) {
  return eventually(async () => {
    const open = await h.db.db.select().from(tasks).where(inArray(tasks.applicationId, ids));
    const at = open.filter((t) => t.stepId === stepId && t.status === 'open');
    return at.length === ids.length ? at : undefined;
  }, `${ids.length} open ${stepId} tasks`, 60_000);
}

describe('definition versions', () => {
  it('leaves 50 applications in flight on their version while new ones take the edited definition', async () => {
    const inFlight = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(1000 + i)));
    const first = inFlight[0]!;
    expect(new Set(inFlight.map((a) => a.definitionHash))).toEqual(new Set([first.definitionHash]));
    const ids = inFlight.map((a) => a.applicationId);
    await openTasksAt(ids, 'initial-interview');

    // The edit: the next version, in effect at once, that renames the province's decision step.
    const current = h.catalogue.pinned(first.definitionHash)!;
    const { version } = current.definition;
    const edited = readFileSync(current.file, 'utf8').replace(`version: ${version}`, `version: ${version + 1}`)
      .replaceAll('province-decision', 'provincial-commission');
    writeFileSync(join(dir, `welfare-services-centre/v${version + 1}.yaml`), edited);
    h.reloadDefinitions();

    const fresh = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(2000 + i)));
    expect(fresh.every((a) => a.definitionVersion === version + 1 && a.definitionHash !== first.definitionHash)).toBe(true);

    for (const task of await openTasksAt(ids, 'initial-interview')) await decide(h, ahvaz, task.id, 'accept');
    const freshIds = fresh.map((a) => a.applicationId);
    for (const task of await openTasksAt(freshIds, 'initial-interview')) await decide(h, ahvaz, task.id, 'accept');

    await openTasksAt(ids, 'province-decision');
    await openTasksAt(freshIds, 'provincial-commission');
    const rows = await h.db.db.select().from(applications).where(inArray(applications.id, [...ids, ...freshIds]));
    expect(rows.filter((r) => r.definitionVersion === version).map((r) => r.id).sort()).toEqual([...ids].sort());
    const [one] = await h.db.db.select().from(applications).where(eq(applications.id, ids[0]!));
    expect(one!.currentStep).toBe('province-decision');
  });
});
