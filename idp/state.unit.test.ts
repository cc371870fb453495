import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountBook } from './accounts.js';
import { loadIdpState } from './state.js';

describe('the development identity provider\'s state', () => {
  it('is created once (mode 0600) and read back the same, so a restart keeps keys, secret and passwords', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'console-auth-idp-')), 'idp.json');
    const first = await loadIdpState(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Object.keys(first.passwords).sort()).toEqual(['ahvaz', 'dezful', 'khuzestan', 'markazi', 'national']);
    expect(await loadIdpState(path)).toEqual(first);
  });

  it('accepts an account\'s own password only', async () => {
    const book = accountBook({ ahvaz: 'right-password' });
    expect((await book.check('ahvaz', 'right-password'))?.role).toBe('county-office');
    expect(await book.check('ahvaz', 'wrong-password')).toBeUndefined();
    expect(await book.check('nobody', 'right-password')).toBeUndefined();
    expect(await book.check('dezful', 'right-password')).toBeUndefined();
    expect(await book.check('ahvaz', 'x'.repeat(10_000))).toBeUndefined();
  });
});
