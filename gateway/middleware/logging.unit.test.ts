/** Structured request logs over real HTTP: useful fields, and never a national code or a token. */
import { DrizzleQueryError } from 'drizzle-orm';
import { Hono } from 'hono';
import postgres from 'postgres';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../services/context.js';
import { serveApp, type Served } from '../../test/support/serve.js';
import { problemResponse } from '../problem.js';
import { signResponses } from '../sign-responses.js';
import { createSigningKeyStore } from '../../platform/signing-keys.js';
import { createLogger, redact, redactText, requestLogging } from './logging.js';

const NATIONAL_CODE = '0012345679';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwb3J0YWwifQ.c2lnbmF0dXJl';

describe('redact', () => {
  it('removes national codes in any digit set and grouping', () => {
    expect(redactText(`/v1/persons/${NATIONAL_CODE}/x`)).toBe('/v1/persons/[REDACTED]/x');
    expect(redactText('کد ملی ۰۰۱۲۳۴۵۶۷۹ ثبت شد')).toBe('کد ملی [REDACTED] ثبت شد');
    expect(redactText('code ٠٠١٢٣٤٥٦٧٩.')).toBe('code [REDACTED].');
    expect(redactText('code 001-234567-9 given')).toBe('code [REDACTED] given');
    expect(redactText('a 1234567890123 run')).toBe('a [REDACTED] run');
  });

  it('keeps shorter numbers, dates, UUIDs and hashes', () => {
    const text = 'licence L-1403-0001 issued 1403/07/12, fee 1250000, request 3552eca0-e4cb-4ae3-8519-013981163357, hash 1234567890abcdef0123456789';
    expect(redactText(text)).toBe(text);
  });

  it('removes phone numbers too (any standalone run of ten digits or more)', () => {
    expect(redactText('sms to 09121234567 failed')).toBe('sms to [REDACTED] failed');
  });

  it('removes bearer tokens and JWTs', () => {
    expect(redactText(`Authorization: Bearer ${TOKEN}`)).toBe('Authorization: Bearer [REDACTED]');
    expect(redactText(`token=${TOKEN}&x=1`)).toBe('token=[REDACTED]&x=1');
    expect(redactText('Basic dXNlcjpwYXNz')).toBe('Basic [REDACTED]');
  });

  it('blanks secret fields and walks objects, arrays, errors and cycles without changing them', () => {
    const input: Record<string, unknown> = {
      headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      applicant: { nationalCode: NATIONAL_CODE, firstName: 'مریم' },
      notes: [`called about ${NATIONAL_CODE}`],
      err: new Error(`registry refused ${NATIONAL_CODE}`),
    };
    input.self = input;
    const out = redact(input) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(out.headers).toEqual({ Authorization: '[REDACTED]', 'content-type': 'application/json' });
    expect(out.applicant).toEqual({ nationalCode: '[REDACTED]', firstName: 'مریم' });
    expect(out.notes).toEqual(['called about [REDACTED]']);
    expect(out.err).toMatchObject({ type: 'Error', message: 'registry refused [REDACTED]' });
    expect(out.err.stack).not.toContain(NATIONAL_CODE);
    expect(out.self).toBe('[Circular]');
    expect((input.applicant as { nationalCode: string }).nationalCode).toBe(NATIONAL_CODE);
  });
  it('keeps a failed query\'s statement and SQLSTATE, and none of the values bound to it', () => {
    const values = ['Zhinousse', 'Parvanehzadeh', '1977-02-30', 'female'];
    const pgError = Object.assign(new postgres.PostgresError({ message: `invalid input syntax for type date: "${values[2]}"`, code: '22007', severity: 'ERROR' } as never), { parameters: values });
    const failed = new DrizzleQueryError('insert into "people" ("first", "last", "born", "sex") values ($1, $2, $3, $4)', values, pgError);
    // A Temporal failure copies the message (and the stack) of the activity's error.
    const copied = Object.assign(new Error(failed.message), { name: 'ApplicationFailure', stack: failed.stack });
    const logged = JSON.stringify(redact({ err: failed, failure: copied }));
    for (const value of values) expect(logged).not.toContain(value);
    expect(logged).toContain('insert into \\"people\\"');
    expect(logged).toContain('22007');
  });
});

describe('request logging', () => {
  const lines: string[] = [];
  let served: Served;
  const logger = createLogger({ level: 'info' }, { write: (line: string) => { lines.push(line); } });

  beforeAll(async () => {
    const app = new Hono<{ Variables: { actor: Actor; requestId: string } }>();
    app.use('*', requestId({ headerName: 'x-request-id' }));
    app.use('*', requestLogging({ logger }));
    app.use('*', signResponses({ keys: await createSigningKeyStore() }));
    app.onError((error, c) => problemResponse(c, error));
    app.use('*', async function testActor(c, next) {
      c.set('actor', { subject: 'county-ahvaz', role: 'county-office' });
      await next();
    });
    app.get('/v1/persons/:code', (c) => c.json({ ok: true }));
    app.post('/v1/broken', () => { throw new Error(`registry answered for ${NATIONAL_CODE} with Bearer ${TOKEN}`); });
    served = await serveApp(app);
  });
  afterAll(async () => { await served?.close(); });

  it('writes one JSON line per request with id, method, route, status, duration and role', async () => {
    lines.length = 0;
    const res = await fetch(`${served.base}/v1/persons/${NATIONAL_CODE}?q=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 30, msg: 'request', requestId: res.headers.get('x-request-id'), method: 'GET', route: '/v1/persons/:code',
      path: '/v1/persons/[REDACTED]', status: 200, role: 'county-office', name: 'parvaneh-gateway',
    });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines[0]).not.toContain(NATIONAL_CODE);
    expect(lines[0]).not.toContain(TOKEN);
  });

  it('logs a failure at error level with its error, redacted', async () => {
    lines.length = 0;
    expect((await fetch(`${served.base}/v1/broken`, { method: 'POST' })).status).toBe(500);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 50, msg: 'request failed', status: 500, route: '/v1/broken', err: { type: 'Error' } });
    expect(line.err.message).toBe('registry answered for [REDACTED] with Bearer [REDACTED]');
    expect(lines[0]).not.toContain(NATIONAL_CODE);
    expect(lines[0]).not.toContain(TOKEN.split('.')[1]);
  });

  it('redacts whatever else is logged through the same logger', () => {
    lines.length = 0;
    logger.child({ national_code: NATIONAL_CODE }).warn({ authorization: `Bearer ${TOKEN}` }, `lookup of ${NATIONAL_CODE} failed`);
    expect(lines.join('')).not.toContain(NATIONAL_CODE);
    expect(lines.join('')).not.toContain(TOKEN);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'lookup of [REDACTED] failed', authorization: '[REDACTED]' });
  });
});
