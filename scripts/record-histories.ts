/**
 * Records the workflow histories of a small, representative set of processes run by THIS
 * checkout's code, as JSON files for test/replay-releases.test.ts: every release adds its folder
 * under test/fixtures/histories/<release>/ and every later release must replay them all (a
 * process started by the previous release keeps running on the next one's code).
 *
 *   npx tsx scripts/record-histories.ts <release>    # e.g. the release's short commit
 *
 * Needs the Temporal binaries (.tools/bin, or PARVANEH_TEMPORAL_BIN) and PostgreSQL: the server
 * DATABASE_URL names, or a throwaway embedded cluster. The run (time-skipping Temporal, the
 * sandbox registries, the gateway over HTTP): two applications through to an activity licence,
 * one rejected at the interview, a renewal through the portal (when the release lets one start
 * at once), a revocation with its due-process wait, 120 days for the standing processes to wake,
 * inquire and wait again, and the outbox delivery. One history is kept per kind of run
 * (workflow type, process, outcome): the files are named `<workflowType>--<process>--<outcome>.json`.
 *
 * `recordHistories` is exported so a release's code that cannot run this file with tsx (5d72675
 * was recorded from a temporary vitest file calling it) can still record its histories.
 */
// The package is CommonJS: Node's loader (tsx) gives its namespace as the default export only.
import proto from '@temporalio/proto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applications } from '../db/schema/index.js';
import { api, decide, generatedApplication, processEnded, taskInInbox } from '../test/support/api.js';
import { startHarness, type Harness } from '../test/support/harness.js';
import { throughToActivityLicence } from '../test/support/journeys.js';
import { officeTokens, type OfficeTokens } from '../test/support/tokens.js';
import { HISTORY_PAYLOAD_KEYS } from '../test/support/history-keys.js';

async function submitted(h: Harness, tokens: OfficeTokens, seed: number): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await generatedApplication(seed) });
  if (res.status !== 202) throw new Error(`application ${seed} answered ${res.status}: ${res.text}`);
  return res.body.applicationId;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');

/** Runs the set against a started harness and writes one JSON history per kind of run into `outDir`; returns the files written. */
export async function recordHistories(h: Harness, outDir: string): Promise<string[]> {
  const tokens = await officeTokens(h);
  const [licensedA, licensedB, rejected] = await Promise.all([7301, 7302, 7303].map((seed) => submitted(h, tokens, seed)));
  const [numberA, numberB] = await Promise.all([licensedA!, licensedB!].map(async (applicationId) => (await throughToActivityLicence(h, { tokens, applicationId })).activityLicence));
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, rejected!, 'initial-interview')).id, 'reject', 'needs assessment: the county already has enough centres');
  await processEnded(h, rejected!);

  const renewal = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${numberB}/renewals`, { token: tokens.portal, body: { requestedBy: 'holder' } });
  if (renewal.status === 202) {
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewal.body.applicationId, 'site-visit', 60_000)).id, 'compliant');
    await processEnded(h, renewal.body.applicationId);
  } else {
    console.warn(`[record-histories] no renewal recorded: it answered ${renewal.status} ${renewal.text}`);
  }

  const revocation = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${numberA}/revocations`, {
    token: tokens.khuzestan, body: { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' },
  });
  if (revocation.status !== 202) throw new Error(`revocation answered ${revocation.status}: ${revocation.text}`);
  await h.env.sleep('10 days');
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, revocation.body.applicationId, 'decision')).id, 'confirm', 'violations confirmed');
  await processEnded(h, revocation.body.applicationId);
  // A quarter and more: the standing processes wake, inquire and wait again.
  await h.env.sleep('120 days');

  const rows = await h.db.db.select({ workflowId: applications.workflowId, licenceType: applications.licenceType, status: applications.status, outcomeReason: applications.outcomeReason }).from(applications);
  const runs = [...rows.map((r) => ({ workflowId: r.workflowId, label: `${r.licenceType}--${r.outcomeReason ?? r.status}` })), { workflowId: h.outboxWorkflowId, label: 'outbox' }];
  mkdirSync(outDir, { recursive: true });
  const written = new Set<string>();
  for (const run of runs) {
    const handle = h.client.workflow.getHandle(run.workflowId);
    const { type } = await handle.describe();
    const file = join(outDir, `${fileSafe(`${type}--${run.label}`)}.json`);
    if (written.has(file)) continue;
    // The generated class's own JSON (enums by name, 64-bit numbers as strings, bytes in base64),
    // read back with History.fromObject. Not the SDK's historyToJSON/historyFromJSON: with the
    // protobufjs copies nested under @temporalio/common and @temporalio/proto in this tree they
    // throw "type must be a Type".
    writeFileSync(file, `${JSON.stringify(proto.temporal.api.history.v1.History.fromObject(await handle.fetchHistory()).toJSON())}\n`);
    written.add(file);
  }
  return [...written].sort();
}

async function main(): Promise<void> {
  const release = process.argv[2];
  if (!release || !/^[A-Za-z0-9._-]+$/.test(release)) throw new Error('usage: npx tsx scripts/record-histories.ts <release>');
  let stopPostgres = async () => {};
  if (!process.env.DATABASE_URL) {
    const { throwawayPostgres } = await import('../test/support/database.js');
    const pg = await throwawayPostgres();
    process.env.DATABASE_URL = pg.url;
    stopPostgres = () => pg.remove();
  }
  // The payloads are encrypted (platform/payload-codec.ts) with the fixtures' own test key, which
  // test/replay-releases.test.ts decodes with: the histories hold only sandbox people.
  const h = await startHarness({ payloadKeysPath: HISTORY_PAYLOAD_KEYS });
  try {
    const files = await recordHistories(h, resolve('test/fixtures/histories', release));
    for (const f of files) console.log(f);
  } finally {
    await h.close();
    await stopPostgres();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
}
