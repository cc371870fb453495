/**
 * `npm run bench:gateway`: the real gateway's throughput and latency beside its own baselines,
 * all measured in one run with one load generator (autocannon, in its own process so it does not
 * share the gateway's core):
 *
 * - the ceiling: a bare Hono JSON route on the same server stack;
 * - one lookup: a bare Hono route answering a primary-key select through postgres.js directly;
 * - one insert and one workflow start: a bare Hono route inserting an application row and
 *   starting its workflow (the baseline of `POST /v1/applications`);
 * - each real route signed and unsigned, and those with a token signed with the product's
 *   PostgreSQL rate-limit counters too (`limited`, limits above the load): `GET /v1/licences/{n}` (portal token),
 *   `GET /v1/licences/{n}/verification/{code}` (public), `GET /v1/tasks` (county office),
 *   `POST /v1/applications` (portal).
 *
 * The table gives each route's ratio to the ceiling, signed/unsigned, and to the sum of its
 * necessary parts: its baseline's time per request over HTTP, plus one ES256 signature and one
 * token verification where the route needs them, both timed in this process in this run (as
 * `npm run bench:signing` times a signature).
 * Options: --seconds 5 --connections 10 (longer runs: --seconds 30); --warmup 1 (seconds before each
 * measure); --only <text>: only the route of that name, else those whose name contains it (with every
 * baseline); --rounds 3: each measure that many times, signed and unsigned taking turns, and the
 * table gives the run with the median req/s of each (ratios of single 5 s windows move ±10 % on a
 * loaded machine); --limit-per-second N: the `limited` gateway counts N a 1 s window (its counter written
 * every N/50 requests) rather than a limit far above the load; --profile <dir>: a CPU profile of this process (the servers) during each measure,
 * written to <dir> as .cpuprofile files (open them in Chrome DevTools, or sum them up by self time).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs, promisify } from 'node:util';
import postgres from 'postgres';
import { applications, licences, tasks } from '../db/schema/index.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { createTokenVerifier } from '../gateway/auth.js';
import { API_AUDIENCE, ephemeralDevIssuer } from '../gateway/dev-issuer.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { RESPONSE_TYP, signDetached } from '../platform/jws.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { generateNationalCode, personFor } from '../sandbox/persons.js';
import type { ServiceDeps } from '../services/context.js';
import { ensureDatabaseUrl, freshDatabase } from '../test/support/database.js';
import { devServerTemporal } from '../test/support/temporal.js';
import { createPayloadCodec, encryptingDataConverter, generatePayloadKeys } from '../platform/payload-codec.js';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' }, warmup: { type: 'string', default: '1' },
  only: { type: 'string' }, profile: { type: 'string' }, rounds: { type: 'string', default: '1' },
  'limit-per-second': { type: 'string' },
} });
const rounds = Math.max(1, Math.floor(Number(values.rounds)));
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const warmupSeconds = Number(values.warmup);

await ensureDatabaseUrl();
console.log('[bench] starting PostgreSQL database, Temporal dev server, the baselines and two gateways (signed, unsigned)…');
const db = await freshDatabase();
const env = await devServerTemporal();
const calendar = loadHolidayCalendar();
const catalogue = new DefinitionCatalogue(loadDefinitions('processes'), calendar);
const temporal = new Client({ connection: env.connection, dataConverter: encryptingDataConverter(createPayloadCodec(generatePayloadKeys())) });
const deps: ServiceDeps = { db: db.db, temporal, catalogue, calendar, taskQueue: 'bench-gateway' };
const issuer = await ephemeralDevIssuer();
const signingKeys = await createSigningKeyStore();

// One licence to read: an application row and its licence, as the workflow would have written them.
const number = 'WSC-AL-1405-900001';
const current = catalogue.current('welfare-services-centre', Date.now())!;
await db.db.insert(applications).values({
  id: 'bench-application', trackingCode: 'PRV-BNCH-0001', workflowId: 'application-bench-application', licenceType: 'welfare-services-centre',
  definitionVersion: current.definition.version, definitionHash: current.hash, applicantNationalCode: '0012345679',
  county: 'ahvaz', province: 'khuzestan', facts: { applicant: { firstName: 'علی', lastName: 'رضایی' } }, submittedBy: 'bench', status: 'approved',
});
const [{ verificationCode }] = await db.db.insert(licences).values({
  number, kind: 'activity-licence', title: { fa: 'پروانه فعالیت', en: 'activity licence' }, licenceType: 'welfare-services-centre',
  applicationId: 'bench-application', holderNationalCode: '0012345679', county: 'ahvaz', province: 'khuzestan',
  issuedAt: new Date(), validUntil: new Date(Date.now() + 5 * 365 * 86_400_000), definitionHash: 'bench',
}).returning({ verificationCode: licences.verificationCode }) as [{ verificationCode: string }];
// A county office's inbox of ten open tasks.
await db.db.insert(tasks).values(Array.from({ length: 10 }, (_, i) => ({
  id: `bench-task-${i}`, applicationId: 'bench-application', stepId: 'county-review', title: { fa: 'بررسی شهرستان', en: 'county review' },
  role: 'county-office', county: 'ahvaz', province: 'khuzestan', dueAt: new Date(Date.now() + (i + 1) * 86_400_000),
  outcomes: [{ name: 'approve', title: { fa: 'تأیید', en: 'approve' }, requiresReason: false }],
})));

async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ url: string; server: ServerType }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
// `limited`: signed, with the product's rate limits counted in PostgreSQL as a deployed gateway
// counts them (the failed-authentication look-up and the caller's counter on every /v1 request),
// with limits far above what the load sends so that nothing is refused. A caller far from its
// limit is counted in batches of 2 % of it (DEFAULT_BATCH_SHARE): with a limit this high, one
// statement at the start. `--limit-per-second N` counts per 1 s window instead, N a window (a
// statement every N/50 requests), N to be set above the load.
const ABOVE_THE_LOAD = 1_000_000_000;
const perSecond = values['limit-per-second'] ? Number(values['limit-per-second']) : undefined;
const gateway = (signing: boolean, limited = false) => listen(createGateway({
  deps, signingKeys, signing, logger: createLogger({ level: 'silent' }), checkReady: db.ping,
  rateLimits: limited
    ? { limits: { default: perSecond ?? ABOVE_THE_LOAD }, failedAuthentications: ABOVE_THE_LOAD, ...(perSecond ? { windowSeconds: 1 } : {}) }
    : false,
  registryKeys: {}, auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
}).fetch);

// The baselines: the same server stack, nothing of the gateway. The lookup goes through
// postgres.js directly, on a pool of its own as large as the gateway's.
const raw = postgres(db.url, { max: 20, onnotice: () => {} });
const baseline = new Hono();
baseline.get('/ceiling', (c) => c.json({ ok: true, at: Date.now() }));
baseline.get('/lookup/:number', async (c) => {
  const [row] = await raw`select * from licences where number = ${c.req.param('number')}`;
  return row ? c.json(row) : c.json({ missing: true }, 404);
});
const processInput = { definition: current.definition, definitionHash: current.hash, calendar };
baseline.post('/insert-and-start', async (c) => {
  const facts = await c.req.json<Record<string, unknown>>();
  const id = randomUUID();
  await raw`insert into applications (id, tracking_code, workflow_id, licence_type, definition_version, definition_hash, applicant_national_code, county, province, facts, submitted_by)
    values (${id}, ${id}, ${`application-${id}`}, 'welfare-services-centre', ${current.definition.version}, ${current.hash}, '0012345679', 'ahvaz', 'khuzestan', ${raw.json(facts as postgres.JSONValue)}, 'bench')`;
  await temporal.workflow.start('licenceProcess', { taskQueue: 'bench-gateway', workflowId: `application-${id}`, args: [{ applicationId: id, facts, ...processInput }] });
  return c.json({ applicationId: id }, 201);
});

const servers = { baseline: await listen(baseline.fetch), signed: await gateway(true), unsigned: await gateway(false), limited: await gateway(true, true) };
const portal = await issuer.mint({ role: 'portal' });
const office = await issuer.mint({ role: 'county-office', county: 'ahvaz' });
const person = personFor(generateNationalCode(77), Date.now())!;
const submission = JSON.stringify({
  licenceType: 'welfare-services-centre', county: 'ahvaz',
  applicant: { nationalCode: person.nationalCode, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, sex: person.sex, religionRecognised: true },
});

// The necessary parts timed in process: one signature over the licence's body, one token verification.
async function micros(run: () => unknown, iterations = 2000): Promise<number> {
  for (let i = 0; i < 200; i++) await run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}
const licenceBody = new Uint8Array(await (await fetch(`${servers.unsigned.url}/v1/licences/${number}`, { headers: { authorization: `Bearer ${portal}` } })).arrayBuffer());
const signMicros = await micros(() => signDetached(signingKeys.active(), licenceBody, { typ: RESPONSE_TYP, htm: 'GET', htu: `/v1/licences/${number}`, status: 200, rid: randomUUID() }));
// A full verification each time (no remembered tokens): the part as the gateway pays it for a token it has not seen.
const verify = createTokenVerifier({ issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE, verifiedTokenCacheSize: 0 });
const tokenMicros = await micros(() => verify(portal));

// --profile: the inspector's sampling profiler, on only while the load runs.
const profiler = values.profile ? new Session() : undefined;
if (profiler) {
  mkdirSync(values.profile!, { recursive: true });
  profiler.connect();
  await profiler.post('Profiler.enable');
}

interface LoadResult { requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number }
async function load(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined, durationSeconds: number): Promise<LoadResult> {
  if (body) Object.assign(headers, { 'content-type': 'application/json' });
  // Asynchronous: the servers answer from this process's event loop meanwhile.
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench-gateway-load.ts',
    JSON.stringify({ url, method, headers, body, connections, durationSeconds, uniqueIdempotencyKey: method === 'POST' })], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as LoadResult;
}
async function measure(name: string, url: string, method: 'GET' | 'POST' = 'GET', headers: Record<string, string> = {}, body?: string): Promise<LoadResult> {
  if (warmupSeconds > 0) await load(url, method, { ...headers }, body, warmupSeconds);
  if (profiler) await profiler.post('Profiler.start');
  const result = await load(url, method, { ...headers }, body, seconds);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(join(values.profile!, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.cpuprofile`), JSON.stringify(profile));
  }
  console.log(`[bench] ${name}: ${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** The run with the median req/s of those given (its own latencies with it). */
const median = (runs: LoadResult[]): LoadResult => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor((runs.length - 1) / 2)]!;
async function repeated(run: () => Promise<LoadResult>): Promise<LoadResult> {
  const runs: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) runs.push(await run());
  return median(runs);
}

const ceiling = await repeated(() => measure('ceiling', `${servers.baseline.url}/ceiling`));
const lookup = await repeated(() => measure('lookup', `${servers.baseline.url}/lookup/${number}`));
const insertAndStart = await repeated(() => measure('insert and start', `${servers.baseline.url}/insert-and-start`, 'POST', {}, JSON.stringify({ applicant: JSON.parse(submission).applicant })));

interface Scenario { name: string; method: 'GET' | 'POST'; path: string; token?: string; body?: string; base: LoadResult; baseName: string }
const scenarios: Scenario[] = [
  { name: 'GET /v1/licences/{n}', method: 'GET', path: `/v1/licences/${number}`, token: portal, base: lookup, baseName: 'lookup' },
  { name: 'GET /v1/licences/{n}/verification/{c}', method: 'GET', path: `/v1/licences/${number}/verification/${verificationCode}`, base: lookup, baseName: 'lookup' },
  { name: 'GET /v1/tasks (county office)', method: 'GET', path: '/v1/tasks', token: office, base: lookup, baseName: 'lookup' },
  { name: 'POST /v1/applications', method: 'POST', path: '/v1/applications', token: portal, body: submission, base: insertAndStart, baseName: 'insert+start' },
];

const pad = (s: string | number, n: number) => String(s).padStart(n);
const x = (r: number) => `${r.toFixed(2)}x`;
const header = `${'route'.padEnd(40)} ${'variant'.padEnd(9)} ${pad('req/s', 7)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('/ceiling', 9)} ${pad('sig/unsig', 9)} ${pad('/parts', 7)}  parts`;
const rows: string[] = [];
const row = (name: string, variant: string, r: LoadResult, cols: [string, string, string], parts = '') =>
  rows.push(`${name.padEnd(40)} ${variant.padEnd(9)} ${pad(r.rps.toFixed(0), 7)} ${pad(r.p50, 7)} ${pad(r.p99, 7)} ${pad(cols[0], 9)} ${pad(cols[1], 9)} ${pad(cols[2], 7)}  ${parts}`);
row('bare Hono JSON (ceiling)', '-', ceiling, [x(1), '', '']);
row('bare Hono + postgres.js pk lookup', '-', lookup, [x(lookup.rps / ceiling.rps), '', '']);
row('bare Hono + insert + workflow start', '-', insertAndStart, [x(insertAndStart.rps / ceiling.rps), '', '']);

// --only: the route so named, else those whose name contains the text.
const only = values.only;
const chosen = !only ? scenarios : scenarios.some((s) => s.name === only) ? scenarios.filter((s) => s.name === only) : scenarios.filter((s) => s.name.includes(only));
for (const scenario of chosen) {
  const runs: Record<'signed' | 'unsigned' | 'limited', LoadResult[]> = { signed: [], unsigned: [], limited: [] };
  const headers: Record<string, string> = scenario.token ? { authorization: `Bearer ${scenario.token}` } : {};
  // Alternate the order per scenario and per round so drift over the run does not favour one side.
  const first = scenario.method === 'POST' || scenario.token === office ? 1 : 0;
  for (let round = 0; round < rounds; round++) {
    const order = (round + first) % 2 === 1 ? (['unsigned', 'signed'] as const) : (['signed', 'unsigned'] as const);
    // Rate limits count /v1 callers with a token; the public verification has no counter there.
    for (const variant of scenario.token ? [...order, 'limited' as const] : order) {
      runs[variant].push(await measure(`${scenario.name} ${variant}`, `${servers[variant].url}${scenario.path}`, scenario.method, headers, scenario.body));
    }
  }
  const result = { signed: median(runs.signed), unsigned: median(runs.unsigned), limited: runs.limited.length ? median(runs.limited) : undefined };
  for (const variant of ['signed', 'unsigned'] as const) {
    const r = result[variant]!;
    // The sum of the parts, per request: the baseline's time at its throughput, one signature, one token check.
    const partsMicros = 1e6 / scenario.base.rps + (variant === 'signed' ? signMicros : 0) + (scenario.token ? tokenMicros : 0);
    const partsName = [scenario.baseName, variant === 'signed' ? 'signature' : '', scenario.token ? 'token' : ''].filter(Boolean).join(' + ');
    row(scenario.name, variant, r, [x(r.rps / ceiling.rps), variant === 'signed' ? x(r.rps / result.unsigned!.rps) : '', x(r.rps / (1e6 / partsMicros))],
      `${partsName} = ${(1e6 / partsMicros).toFixed(0)}/s`);
  }
  if (result.limited) row(scenario.name, 'limited', result.limited, [x(result.limited.rps / ceiling.rps), x(result.limited.rps / result.signed.rps), ''], '(sig/unsig column: limited / signed)');
}
console.log(`\n${seconds} s per measure (after ${warmupSeconds} s of warm-up), ${rounds === 1 ? 'one round' : `median of ${rounds} rounds`}, ${connections} connections, load from a separate process; node ${process.version}`);
console.log(`in process: one ES256 signature ${signMicros.toFixed(0)} µs (${(1e6 / signMicros).toFixed(0)}/s), one token verification ${tokenMicros.toFixed(0)} µs (${(1e6 / tokenMicros).toFixed(0)}/s)\n`);
console.log(header);
for (const line of rows) console.log(line);

for (const { server } of Object.values(servers)) await new Promise<void>((resolve) => server.close(() => resolve()));
// A request whose client went away at the end of a measure may still be running: let it finish.
await new Promise((resolve) => setTimeout(resolve, 2000));
await raw.end({ timeout: 5 });
await env.teardown();
await db.close();
process.exit(0);
