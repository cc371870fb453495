/**
 * The OpenAPI document is the server's truth. schemathesis (pinned in scripts/schemathesis.txt,
 * installed by scripts/install.sh) reads the document the gateway serves and sends what it
 * generates from every operation: valid requests, which must be accepted, and invalid ones, which
 * must be refused; undeclared methods, which must get 405; requests without a token, which must
 * get 401. Every answer is checked against the document: status codes, schemas, content types and
 * headers. It runs over real HTTP against the real gateway, once with the national portal's token
 * and once with a county office's, and must find nothing. What it does not check is written down,
 * with the reason, in test/schemathesis/schemathesis.toml.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

const run = promisify(execFile);
const SCHEMATHESIS = join(process.cwd(), '.tools/schemathesis/bin/schemathesis');
/** A fixed seed, so a run is reproducible; `SCHEMATHESIS_SEED` sets another. */
const SEED = process.env.SCHEMATHESIS_SEED ?? '20261201';

let h: Harness;
let tokens: OfficeTokens;
let reports: string;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
  reports = mkdtempSync(join(tmpdir(), 'parvaneh-schemathesis-'));
}, 120_000);
afterAll(async () => {
  await h?.close();
  if (reports) rmSync(reports, { recursive: true, force: true });
});

interface Report {
  seed: string | number;
  test_cases: { generated: number; with_failures: number; unique_failures: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
  operations?: unknown;
}

/** Runs schemathesis over the whole document as the holder of `token`; gives its JSON report and its text output. */
async function fuzz(who: string, token: string): Promise<{ report: Report; output: string }> {
  const reportPath = join(reports, `${who}.json`);
  const args = [
    '--config-file', 'test/schemathesis/schemathesis.toml', '--no-color',
    'run', `${h.gatewayUrl}/openapi.json`, '--url', h.gatewayUrl,
    '--header', `Authorization: Bearer ${token}`, '--seed', SEED, '--workers', '1',
    '--report', 'json', '--report-json-path', reportPath,
  ];
  let output: string;
  try {
    output = (await run(SCHEMATHESIS, args, { maxBuffer: 64 << 20, timeout: 600_000 })).stdout;
  } catch (error) {
    // A run that found something exits 1; its report says what.
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  const failed = report.failures.map((f) => `${f.code} ${f.title}: ${f.operations.join(', ')}`);
  console.log(`[schemathesis] ${who}: ${report.test_cases.generated} requests generated, ${report.test_cases.unique_failures} distinct failures, ${report.errors.length} errors (seed ${report.seed})${failed.length ? `\n  ${failed.join('\n  ')}` : ''}`);
  return { report, output };
}

describe('the OpenAPI document against the server (schemathesis, every check)', () => {
  it('finds no disagreement with the national portal\'s token', async () => {
    const { report, output } = await fuzz('portal', tokens.portal);
    expect(report.test_cases.generated).toBeGreaterThan(500);
    expect(report.errors, output.slice(-4000)).toEqual([]);
    expect(report.failures, output.slice(-8000)).toEqual([]);
  }, 660_000);

  it('finds no disagreement with a county office\'s token', async () => {
    const { report, output } = await fuzz('county office', tokens.ahvaz);
    expect(report.test_cases.generated).toBeGreaterThan(500);
    expect(report.errors, output.slice(-4000)).toEqual([]);
    expect(report.failures, output.slice(-8000)).toEqual([]);
  }, 660_000);
});
