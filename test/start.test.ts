/**
 * `npm start` as a user runs it: the whole product on embedded defaults (Temporal dev server
 * persisting to a file, PGlite), stopped with Ctrl-C and started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../gateway/dev-issuer.js';

const dataDir = mkdtempSync(join(tmpdir(), 'parvaneh-start-'));
const ports = { PORT: '18080', SANDBOX_PORT: '17400', TEMPORAL_PORT: '17233', TEMPORAL_UI_PORT: '18233' };
const api = `http://127.0.0.1:${ports.PORT}`;
let product: ChildProcess | undefined;

function start(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, ...ports, PARVANEH_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within 180 s:\n${output}`)), 180_000);
    child.stdout!.on('data', () => {
      if (output.includes('ready (Ctrl-C stops)')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

async function call(path: string, token: string, body?: unknown) {
  const res = await fetch(`${api}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(body === undefined ? {} : { 'idempotency-key': randomUUID() }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function interviewTask(token: string, applicationId: string, stepId: string) {
  for (let i = 0; i < 200; i += 1) {
    const inbox = await call('/v1/tasks', token);
    const task = (inbox.body.items as { id: string; applicationId: string; stepId: string }[]).find((t) => t.applicationId === applicationId && t.stepId === stepId);
    if (task) return task;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no ${stepId} task for ${applicationId}`);
}

afterAll(async () => {
  if (product && product.exitCode === null) await stop(product);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('runs the whole product, stops on Ctrl-C, and a second start finds the application where it was', async () => {
    const first = await start();
    product = first.child;
    expect(first.output()).toContain('embedded PostgreSQL');
    const issuer = await loadDevIssuer(join(dataDir, 'dev-issuer.jwk.json'));
    const portal = await issuer.mint({ role: 'portal' });
    const ahvaz = await issuer.mint({ role: 'county-office', county: 'ahvaz' });
    const persons = (await (await fetch(`http://127.0.0.1:${ports.SANDBOX_PORT}/fixtures/persons`)).json()) as { nationalCode: string; firstName: string; lastName: string; birthDate: string; sex: string }[];
    const person = persons.find((p) => p.nationalCode === '0012345679')!;
    const submitted = await call('/v1/applications', portal, {
      licenceType: 'welfare-services-centre', county: 'ahvaz',
      applicant: { nationalCode: person.nationalCode, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, sex: person.sex, religionRecognised: true },
    });
    expect(submitted.status).toBe(202);
    const applicationId = submitted.body.applicationId as string;
    const before = await interviewTask(ahvaz, applicationId, 'initial-interview');

    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = await start();
    product = second.child;
    const after = await interviewTask(ahvaz, applicationId, 'initial-interview');
    expect(after.id).toBe(before.id);
    expect((await call(`/v1/tasks/${after.id}/decision`, ahvaz, { outcome: 'accept' })).status).toBe(202);
    const khuzestan = await issuer.mint({ role: 'province-office', province: 'khuzestan' });
    await interviewTask(khuzestan, applicationId, 'province-decision');
    const view = await call(`/v1/applications/${applicationId}`, portal);
    expect(view.body.application).toMatchObject({ status: 'running', currentStep: 'province-decision' });
    expect(await stop(second.child)).toBe(0);
  }, 600_000);
});
