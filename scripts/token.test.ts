/** `npm run token`: its help, its refusals (a message and the usage, never a stack trace), its options. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'parvaneh-token-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'token', '--', ...args], { env: { ...process.env, PARVANEH_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  it('explains itself on --help, every option included', async () => {
    const help = await token('--help');
    expect(help.code).toBe(0);
    for (const option of ['--role', '--county', '--province', '--sub', '--expires']) expect(help.stdout).toContain(option);
  });

  it('refuses an unknown option or a missing role with a message and the usage, not a stack trace', async () => {
    for (const args of [['--bogus'], [], ['--role', 'county-office'], ['--role', 'portal', '--expires', 'forever'], ['--role', 'portal', '--expires', '2d']]) {
      const refused = await token(...args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain('usage: npm run token');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('mints a token with the subject and lifetime asked for', async () => {
    const minted = await token('--role', 'county-office', '--county', 'ahvaz', '--sub', 'officer-17', '--expires', '30m');
    expect(minted.code, minted.stderr).toBe(0);
    const claims = decodeJwt(minted.stdout.trim());
    expect(claims).toMatchObject({ role: 'county-office', county: 'ahvaz', province: 'khuzestan', sub: 'officer-17', aud: 'parvaneh-api' });
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect(decodeProtectedHeader(minted.stdout.trim())).toMatchObject({ typ: 'at+jwt' });
  });

  it('mints the exam organiser\'s token', async () => {
    const minted = await token('--role', 'exam-organiser');
    expect(minted.code, minted.stderr).toBe(0);
    expect(decodeJwt(minted.stdout.trim())).toMatchObject({ role: 'exam-organiser', sub: 'exam-organiser' });
  });
});
