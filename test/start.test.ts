/**
 * `npm start` as a user runs it, and the README's tour as a user types it: `npm start` itself (the
 * same script, its install step, a fresh data directory, the embedded PostgreSQL and Temporal),
 * in a process group of its own as a terminal gives it, stopped with Ctrl-C (SIGINT to the group)
 * and started again. The tour's lines are read from README.md and run by bash, with tokens from
 * `npm run token`, so a command the README shows is one this test runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';
import { axe, desktopPage, launchBrowser } from './support/browser.js';

const dataDir = mkdtempSync(join(tmpdir(), 'parvaneh-start-'));
chmodSync(dataDir, 0o711); // run as root, the embedded server (the postgres user) must reach it
let ports: Record<'PORT' | 'SANDBOX_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'POSTGRES_PORT' | 'IDP_PORT', string>;
let api: string;
let sandbox: string;
let product: ChildProcess | undefined;
// The environment of a user's shell, less anything that would point the product elsewhere.
const env = () => ({ ...process.env, ...ports, PARVANEH_DATA_DIR: dataDir, DATABASE_URL: '' });

beforeAll(async () => {
  const [api_, sandbox_, temporal, ui, postgres, idp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  ports = { PORT: String(api_), SANDBOX_PORT: String(sandbox_), TEMPORAL_PORT: String(temporal), TEMPORAL_UI_PORT: String(ui), POSTGRES_PORT: String(postgres), IDP_PORT: String(idp) };
  api = `http://127.0.0.1:${api_}`;
  sandbox = `http://127.0.0.1:${sandbox_}`;
});

interface Started { child: ChildProcess; output: () => string }

/**
 * `npm start`, as the README says, in a process group of its own (a terminal's foreground job).
 * `product` holds it from the moment it is spawned, so a start that fails is still stopped.
 */
function npmStart(): Promise<Started> {
  const child = spawn('npm', ['start'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  product = child;
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
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code}:\n${output}`)); });
  });
}

/**
 * Ctrl-C in the terminal: SIGINT to the whole foreground process group. npm itself dies of the
 * signal, as it does in a terminal; the product's processes hold the output pipes until they have
 * stopped, so their closing is the end of the stop. A product that has not stopped within a
 * minute is killed (and the test fails on what it printed).
 */
function ctrlC(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const signalGroup = (signal: NodeJS.Signals) => { try { process.kill(-child.pid!, signal); } catch { /* the group is gone */ } };
    // Past a minute: kill the group and whatever it left in sessions of its own, and stop waiting.
    const timer = setTimeout(() => { signalGroup('SIGKILL'); sweepServers(); resolve({ code: null, signal: 'SIGKILL' }); }, 60_000);
    child.once('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal }); });
    signalGroup('SIGINT');
  });
}
const running = (child: ChildProcess | undefined) => child !== undefined && child.exitCode === null && child.signalCode === null;
const stoppedByCtrlC = (how: { code: number | null; signal: NodeJS.Signals | null }) => how.code === 0 || how.signal === 'SIGINT';

/** Whatever a failed run left: the Temporal server and PostgreSQL run in sessions of their own. */
function sweepServers(): void {
  const pidIn = (file: string) => { try { return Number(readFileSync(file, 'utf8').split('\n')[0]); } catch { return undefined; } };
  for (const [file, signal] of [[join(dataDir, 'temporal.pid'), 'SIGKILL'], [join(dataDir, 'postgres', 'postmaster.pid'), 'SIGQUIT']] as const) {
    const pid = pidIn(file);
    if (pid) try { process.kill(pid, signal); } catch { /* gone */ }
  }
}

/** The tour block of README.md: every line after `npm start`, with this run's addresses. */
function readmeTour(): string {
  const readme = readFileSync('README.md', 'utf8');
  const block = /<!-- tour: [^>]*-->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no tour block (<!-- tour: … --> then ```sh)');
  const lines = block.split('\n');
  expect(lines[0]).toBe('npm start');
  const addresses = lines.findIndex((l) => l === 'export API=http://127.0.0.1:8080 SANDBOX=http://127.0.0.1:7400');
  expect(addresses, 'the tour sets API and SANDBOX to npm start\'s default addresses').toBeGreaterThan(0);
  // Pasted into zsh, where a comment after a command is a command named `#`, only whole-line comments are safe.
  // A whole-line comment is run there as a command named `#`: nothing in it may mean anything to the shell.
  for (const line of lines) {
    expect(line, 'a comment after a command').not.toMatch(/^[^#'"]*\S\s+#/);
    if (line.startsWith('#')) expect(line, 'a comment with shell syntax').not.toMatch(/[;()"'`$|&<>*?[\]{}]/);
  }
  lines[addresses] = `export API=${api} SANDBOX=${sandbox}`;
  return lines.slice(1).join('\n');
}

function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

async function token(...args: string[]): Promise<string> {
  const run = await bash(`npm run -s token -- ${args.join(' ')}`);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim();
}

async function call(path: string, bearer?: string, body?: unknown) {
  const res = await fetch(`${api}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json', ...(body === undefined ? {} : { 'idempotency-key': randomUUID() }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function openTask(bearer: string, applicationId: string, stepId: string) {
  for (let i = 0; i < 400; i += 1) {
    const inbox = await call('/v1/tasks', bearer);
    const task = (inbox.body.items as { id: string; applicationId: string; stepId: string }[]).find((t) => t.applicationId === applicationId && t.stepId === stepId);
    if (task) return task;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no ${stepId} task for ${applicationId}`);
}

/** What npm start printed from the moment it was told to stop. */
const afterStopping = (output: string) => output.slice(output.lastIndexOf('\n', output.indexOf('SIGINT: stopping')) + 1);

afterAll(async () => {
  if (running(product)) await ctrlC(product!);
  sweepServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start and the README tour', () => {
  it('issues an activity licence on the embedded defaults, stops on Ctrl-C in order, and a second start finds everything where it was', async () => {
    const first = await npmStart();
    expect(first.output()).toMatch(/database: +embedded PostgreSQL \d+/);

    // The README's tour, line for line: through interview, province, site visit and the manager's licence to a licence.
    const tour = await bash(readmeTour());
    expect(tour.code, `${tour.stdout}\n${tour.stderr}`).toBe(0);
    const verification = JSON.parse(tour.stdout.split('\n').find((l) => l.startsWith('{"number":"WSC-AL-'))!) as Record<string, unknown>;
    expect(verification).toMatchObject({ kind: 'activity-licence', status: 'active', valid: true, holderName: 'ع*** ر***' });
    expect(JSON.stringify(verification)).not.toContain('0012345679');
    expect(tour.stdout).toContain('flowchart'); // the diagram the tour draws
    const licenceNumber = verification.number as string;

    // A second `npm start` on the same data directory is refused: it would take the first one's servers.
    const twin = await bash('npm start');
    expect(twin.code).toBe(1);
    expect(twin.stdout + twin.stderr).toMatch(/another npm start \(pid \d+\) is running on/);
    const portal = await token('--role', 'portal');
    const verificationCode = (await call(`/v1/licences/${licenceNumber}`, portal)).body.verificationCode as string;
    expect((await call(`/v1/licences/${licenceNumber}/verification/${verificationCode}`)).status).toBe(200);

    // A second application left waiting at its interview when the product stops.
    const ahvaz = await token('--role', 'county-office', '--county', 'ahvaz');
    const khuzestan = await token('--role', 'province-office', '--province', 'khuzestan');
    const persons = (await (await fetch(`${sandbox}/fixtures/persons`)).json()) as { nationalCode: string; firstName: string; lastName: string; birthDate: string; sex: string }[];
    const person = persons.find((p) => p.nationalCode === '0013579134')!; // clear everywhere, answers at once
    const submitted = await call('/v1/applications', portal, {
      licenceType: 'welfare-services-centre', county: 'ahvaz',
      applicant: { nationalCode: person.nationalCode, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, sex: person.sex, religionRecognised: true },
      manager: { kind: 'holder' },
    });
    expect(submitted.status).toBe(202);
    const waiting = submitted.body.applicationId as string;
    const before = await openTask(ahvaz, waiting, 'initial-interview');

    // The console npm start serves: the Ahvaz officer signs in with the account it printed, through
    // its own identity provider, and finds that interview in the inbox.
    const account = /^\[parvaneh\] +ahvaz +(\S+) +county-office/m.exec(first.output());
    expect(account, 'npm start prints the development accounts').not.toBeNull();
    const browser = await launchBrowser();
    try {
      const page = await desktopPage(browser);
      await page.goto(`${api}/console/`);
      await page.getByLabel('نام کاربری').fill('ahvaz');
      await page.getByLabel('گذرواژه').fill(account![1]!);
      await page.getByRole('button', { name: 'ورود' }).click();
      await page.locator(`a[href="/console/tasks/${encodeURIComponent(before.id)}"]`).waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/console/');
      expect(await axe(page)).toEqual([]);
      // The one error the page may log is the 401 of its first look at the session, which sent it to sign in.
      expect(page.errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    } finally {
      await browser.close();
    }

    // Ctrl-C: the gateway first, Temporal last, and nothing complains on the way down.
    const firstStop = await ctrlC(first.child);
    expect(stoppedByCtrlC(firstStop), `the first start ended ${JSON.stringify(firstStop)}:\n${first.output().slice(-3000)}`).toBe(true);
    const stopping = afterStopping(first.output());
    expect(stopping).toMatch(/stopped in \d+\.\d s \(gateway, identity provider, worker, audit head publication, worker connection, sandbox, Temporal client, database connections, PostgreSQL, Temporal\)/);
    const noise = stopping.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('[parvaneh]'));
    expect(noise, 'lines other than the product\'s own while it stops').toEqual([]);
    console.log(`[start] ${/stopped in [\d.]+ s/.exec(stopping)![0]}`);

    const second = await npmStart();
    const verified = await call(`/v1/licences/${licenceNumber}/verification/${verificationCode}`);
    expect(verified.body).toMatchObject({ number: licenceNumber, valid: true, status: 'active' });
    const tourApplication = (await call(`/v1/licences/${licenceNumber}`, portal)).body as { applicationId?: string };
    expect(tourApplication.applicationId).toBeTruthy();
    expect((await call(`/v1/applications/${tourApplication.applicationId}`, portal)).body.application).toMatchObject({ status: 'approved' });

    const after = await openTask(ahvaz, waiting, 'initial-interview');
    expect(after.id).toBe(before.id);
    expect((await call(`/v1/tasks/${after.id}/decision`, ahvaz, { outcome: 'accept' })).status).toBe(202);
    await openTask(khuzestan, waiting, 'province-decision');
    expect((await call(`/v1/applications/${waiting}`, portal)).body.application).toMatchObject({ status: 'running', currentStep: 'province-decision' });
    const secondStop = await ctrlC(second.child);
    expect(stoppedByCtrlC(secondStop), `the second start ended ${JSON.stringify(secondStop)}:\n${second.output().slice(-3000)}`).toBe(true);
    expect(second.output()).toMatch(/stopped in [\d.]+ s \(gateway,.*Temporal\)/);
  }, 600_000);
});
