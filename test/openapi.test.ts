/**
 * The OpenAPI contract: every route the gateway serves is described (and nothing else is), the
 * document is served signed as JSON, YAML and a self-contained HTML page, it lints clean with
 * Redocly, and the committed generated client types match it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OperationObject, ParameterObject, ReferenceObject } from 'openapi3-ts/oas31';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadHolidayCalendar } from '../dsl/calendar-load.js';
import { DefinitionCatalogue } from '../dsl/catalogue.js';
import { loadDefinitions } from '../dsl/load.js';
import { createGateway } from '../gateway/app.js';
import { API_AUDIENCE, ephemeralDevIssuer } from '../gateway/dev-issuer.js';
import { RESPONSE_TYP, verifyDetached } from '../platform/jws.js';
import { honoPath } from '../gateway/openapi/mount.js';
import { gatewayOpenApi } from '../gateway/openapi/spec.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import type { ServiceDeps } from '../services/context.js';
import { serveApp, type Served } from './support/serve.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const bin = (name: string) => resolve('node_modules/.bin', name);

let served: Served;
let app: ReturnType<typeof createGateway>;
const { document } = gatewayOpenApi();
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => (item[method] ? [{ method, path, op: item[method] as OperationObject }] : [])));

beforeAll(async () => {
  const calendar = loadHolidayCalendar();
  const issuer = await ephemeralDevIssuer();
  // No database or Temporal: the API description needs neither.
  const deps = { calendar, catalogue: new DefinitionCatalogue(loadDefinitions('processes'), calendar) } as unknown as ServiceDeps;
  app = createGateway({
    deps, registryKeys: {}, signingKeys: await createSigningKeyStore(), checkReady: async () => { throw new Error('no database here'); },
    auth: { issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE },
  });
  served = await serveApp(app);
});
afterAll(() => served?.close());

async function get(path: string) {
  const res = await fetch(`${served.base}${path}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const jwks = await (await fetch(`${served.base}/.well-known/jwks.json`)).json();
  const header = await verifyDetached(res.headers.get('x-jws-signature') ?? '', bytes, jwks, { typ: RESPONSE_TYP, status: res.status });
  expect(header).toMatchObject({ htm: 'GET', htu: path, rid: res.headers.get('x-request-id') });
  return { res, text: new TextDecoder().decode(bytes) };
}

describe('the OpenAPI document', () => {
  it('describes exactly the routes the gateway serves', () => {
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const described = new Set(operations.map((o) => `${o.method.toUpperCase()} ${honoPath(o.path)}`));
    expect([...served].sort()).toEqual([...described].sort());
    expect(described.size).toBeGreaterThanOrEqual(24);
  });

  it('gives every operation its roles, signed responses and problem answers; every POST that changes something an Idempotency-Key', () => {
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      expect(op['x-roles'], where).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      const statuses = Object.keys(op.responses ?? {});
      if (path.startsWith('/v1/')) expect(statuses.some((s) => s.startsWith('4')), where).toBe(true);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if ('$ref' in (response as ReferenceObject)) expect((response as ReferenceObject).$ref, where).toMatch(/^#\/components\/responses\//);
        else expect(Object.keys((response as { headers: object }).headers), `${where} ${status}`).toEqual(expect.arrayContaining(['x-jws-signature', 'x-request-id']));
      }
      const headers = (op.parameters ?? []).map((p) => ('$ref' in p ? p.$ref : (p as ParameterObject).name));
      // The codec server's POSTs change nothing and their answers are never stored: no key.
      if (method === 'post') expect(headers.some((h) => h.includes('IdempotencyKey')), where).toBe(!path.startsWith('/v1/codec/'));
      if (Array.isArray(op.security) && op.security.length) expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
    const required = document.components!.parameters!.IdempotencyKey as ParameterObject;
    expect(required).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: true });
    expect(document.components!.securitySchemes!.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(Object.keys((document.components!.schemas!.Problem as { properties: object }).properties).sort())
      .toEqual(['detail', 'field', 'reason', 'requestId', 'status', 'title', 'title_fa', 'type']);
  });

  it('shows on each change route the 422 refusals of its definition\'s rules, by reason code', () => {
    const definitions = loadDefinitions('processes').map((l) => l.definition);
    // The newest version of each change process: the one a request is judged by (not the first file loaded).
    const newest = (processId: string) => definitions.filter((d) => d.id === processId).sort((a, b) => b.version - a.version)[0]!;
    const rulesOf = (processId: string) => newest(processId).change?.rules.map((r) => r.reason) ?? [];
    const offered = new Map(definitions.flatMap((d) => Object.values(d.licences).flatMap((kind) => Object.entries(kind.changes))));
    const refusals = (path: string) => {
      const response = document.paths![path]!.post!.responses!['422'] as { content: Record<string, { schema: { allOf: [unknown, { properties: { reason: { enum: string[] } } }] } }> };
      return response.content['application/problem+json']!.schema.allOf[1].properties.reason.enum;
    };
    for (const [segment, change] of [['renewals', 'renewal'], ['suspensions', 'suspension'], ['revocations', 'revocation'], ['closure-notices', 'closure-notice']]) {
      expect(refusals(`/v1/licences/{licenceNumber}/${segment}`), segment).toEqual(rulesOf(offered.get(change!)!));
    }
    expect(rulesOf(offered.get('renewal')!)).toEqual(expect.arrayContaining(['RENEWAL_TOO_EARLY', 'RENEWAL_TOO_LATE']));
    const anyChange = [...new Set([...offered.values()].flatMap(rulesOf))].sort();
    expect(refusals('/v1/licences/{licenceNumber}/changes/{change}')).toEqual(anyChange);
    // A finding opens a violation report, a suspension or a revocation.
    const opened = [...new Set(['violation-report', 'suspension', 'revocation'].flatMap((c) => rulesOf(offered.get(c)!)))];
    expect(refusals('/v1/licences/{licenceNumber}/supervision')).toEqual(opened);
  });

  it('is served signed as JSON and YAML, the same document', async () => {
    const json = await get('/openapi.json');
    expect(json.res.headers.get('content-type')).toContain('application/json');
    expect(JSON.parse(json.text)).toEqual(JSON.parse(JSON.stringify(document)));
    const yaml = await get('/openapi.yaml');
    expect(yaml.res.headers.get('content-type')).toContain('application/yaml');
    expect(parse(yaml.text)).toEqual(JSON.parse(json.text));
  });

  it('renders a self-contained reference page with every operation, its roles and its Persian summary', async () => {
    const { res, text } = await get('/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(text).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!parvaneh\.example)/i);
    for (const { op } of operations) {
      expect(text).toContain(`id="${op.operationId}"`);
      if (op['x-summary-fa']) expect(text).toContain(op['x-summary-fa'] as string);
    }
    expect(text).toContain('<span class="role">province-office</span>');
    expect(text).toContain('id="schema-Problem"');
    expect(text).toContain('استعلام اصالت پروانه با شماره و کد رهگیری اصالت');
  });

  it('lints clean with Redocly CLI (offline)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvaneh-openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      const config = readFileSync('redocly.yaml', 'utf8').replace('root: api-spec/openapi.json', `root: ${join(dir, 'openapi.json')}`);
      writeFileSync(join(dir, 'redocly.yaml'), config);
      const lint = spawnSync(bin('redocly'), ['lint', '--config', join(dir, 'redocly.yaml')], {
        encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const output = `${lint.stdout}${lint.stderr}`;
      expect(lint.status, output).toBe(0);
      expect(output).toContain('Your API description is valid');
      expect(output).not.toMatch(/\d+ warnings?/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('matches the committed document and generated client types (npm run openapi:generate)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvaneh-openapi-ts-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
      // Run outside the project so openapi-typescript does not pick up redocly.yaml; the options are the npm script's.
      execFileSync(bin('openapi-typescript'), ['openapi.json', '--output', 'schema.d.ts', '--default-non-nullable=false'], { cwd: dir, stdio: 'pipe' });
      const fresh = readFileSync(join(dir, 'schema.d.ts'), 'utf8');
      expect(readFileSync('api-spec/generated/schema.d.ts', 'utf8'), 'run `npm run openapi:generate` and commit the result').toBe(fresh);
      expect(readFileSync('api-spec/openapi.json', 'utf8'), 'run `npm run openapi:generate` and commit the result').toBe(`${JSON.stringify(document, null, 2)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
