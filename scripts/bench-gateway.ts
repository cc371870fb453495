/**
 * `npm run bench:gateway`: requests per second and p50/p99 latency of the real gateway for
 * `GET /v1/licences/{n}`, `GET /v1/licences/{n}/verification/{code}` and `POST /v1/applications`, with
 * and without response signing, from one run, and the signed/unsigned ratios. The load runs in a
 * separate process (autocannon) so it does not share the gateway's core.
 * Options: --seconds 5 --connections 10
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { applications, licences } from '../db/schema/index.js';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { API_AUDIENCE, ephemeralDevIssuer } from '../gateway/dev-issuer.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { generateNationalCode, personFor } from '../sandbox/persons.js';
import type { ServiceDeps } from '../services/context.js';
import { ensureDatabaseUrl, freshDatabase } from '../test/support/database.js';
import { devServerTemporal } from '../test/support/temporal.js';
import { createPayloadCodec, encryptingDataConverter, generatePayloadKeys } from '../platform/payload-codec.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);

await ensureDatabaseUrl();
console.log('[bench] starting PostgreSQL database, Temporal dev server, two gateways (signed, unsigned)…');
const db = await freshDatabase();
const env = await devServerTemporal();
const calendar = loadHolidayCalendar();
const catalogue = new DefinitionCatalogue(loadDefinitions('processes'), calendar);
const deps: ServiceDeps = { db: db.db, temporal: new Client({ connection: env.connection, dataConverter: encryptingDataConverter(createPayloadCodec(generatePayloadKeys())) }), catalogue, calendar, taskQueue: 'bench-gateway' };
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

async function start(signing: boolean): Promise<{ url: string; server: ServerType }> {
  const app = createGateway({
    deps, signingKeys, signing, rateLimits: false, logger: createLogger({ level: 'silent' }), checkReady: db.ping,
    registryKeys: {}, auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const gateways = { signed: await start(true), unsigned: await start(false) };
const portal = await issuer.mint({ role: 'portal' });
const person = personFor(generateNationalCode(77), Date.now())!;
const submission = JSON.stringify({
  licenceType: 'welfare-services-centre', county: 'ahvaz',
  applicant: { nationalCode: person.nationalCode, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, sex: person.sex, religionRecognised: true },
});

interface LoadResult { requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number }
async function load(url: string, method: 'GET' | 'POST', body?: string): Promise<LoadResult> {
  const headers: Record<string, string> = { authorization: `Bearer ${portal}` };
  if (body) Object.assign(headers, { 'content-type': 'application/json', 'idempotency-key': `first-${Math.random()}` });
  // Asynchronous: the gateways answer from this process's event loop meanwhile.
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench-gateway-load.ts',
    JSON.stringify({ url, method, headers, body, connections, durationSeconds: seconds, uniqueIdempotencyKey: Boolean(body) })], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as LoadResult;
}

const scenarios = [
  { name: `GET /v1/licences/{n}`, method: 'GET' as const, path: `/v1/licences/${number}` },
  { name: 'GET /v1/licences/{n}/verification/{code}', method: 'GET' as const, path: `/v1/licences/${number}/verification/${verificationCode}` },
  { name: 'POST /v1/applications', method: 'POST' as const, path: '/v1/applications', body: submission },
];
const rows: string[] = [];
const pad = (s: string | number, n: number) => String(s).padStart(n);
for (const scenario of scenarios) {
  const result: Record<string, LoadResult> = {};
  // Alternate the order per scenario so drift over the run does not favour one side.
  for (const variant of scenario.method === 'POST' ? (['unsigned', 'signed'] as const) : (['signed', 'unsigned'] as const)) {
    result[variant] = await load(`${gateways[variant].url}${scenario.path}`, scenario.method, scenario.body);
    console.log(`[bench] ${scenario.name} ${variant}: ${result[variant]!.requests} requests, ${result[variant]!.non2xx} non-2xx, ${result[variant]!.errors} errors`);
  }
  for (const variant of ['signed', 'unsigned'] as const) {
    const r = result[variant]!;
    rows.push(`${scenario.name.padEnd(36)} ${variant.padEnd(9)} ${pad(r.rps.toFixed(0), 8)} ${pad(r.p50, 7)} ${pad(r.p99, 7)}`);
  }
  const s = result.signed!;
  const u = result.unsigned!;
  rows.push(`${''.padEnd(36)} signed/unsigned: throughput ${(s.rps / u.rps).toFixed(2)}x, p50 ${(s.p50 / Math.max(u.p50, 1)).toFixed(2)}x, p99 ${(s.p99 / Math.max(u.p99, 1)).toFixed(2)}x`);
}
console.log(`\n${seconds} s per run, ${connections} connections, load from a separate process\n`);
console.log(`${'route'.padEnd(36)} ${'variant'.padEnd(9)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)}`);
for (const row of rows) console.log(row);

for (const { server } of Object.values(gateways)) await new Promise<void>((resolve) => server.close(() => resolve()));
await env.teardown();
await db.close();
process.exit(0);
