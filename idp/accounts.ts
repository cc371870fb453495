/**
 * The development accounts of the embedded OpenID provider: one per office of the fixture
 * geography. Passwords are generated once per data directory (kept in the IdP's state file) and
 * held in memory only as scrypt hashes, compared in constant time.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export type OfficeRole = 'county-office' | 'province-office' | 'national-office';

/** One development account: what the login form takes and the claims its tokens carry. */
export interface DevAccount {
  username: string;
  password: string;
  role: OfficeRole;
  county?: string;
  province?: string;
  /** The officer's name (the ID token's `name`): invented people, one per office; the office itself comes from the access token's claims. */
  name: string;
}

/** The offices that have an account: username, role, office and Persian name (no password). */
export const DEV_OFFICES: readonly Omit<DevAccount, 'password'>[] = [
  { username: 'ahvaz', role: 'county-office', county: 'ahvaz', province: 'khuzestan', name: 'زهرا کریمی' },
  { username: 'dezful', role: 'county-office', county: 'dezful', province: 'khuzestan', name: 'علی رضایی' },
  { username: 'khuzestan', role: 'province-office', province: 'khuzestan', name: 'مریم موسوی' },
  { username: 'markazi', role: 'province-office', province: 'markazi', name: 'حسین جعفری' },
  { username: 'national', role: 'national-office', name: 'فاطمه حسینی' },
];

/** A fresh password: 18 random bytes, base64url (24 characters). */
export const newPassword = () => randomBytes(18).toString('base64url');

interface HashedAccount { account: DevAccount; salt: Buffer; hash: Buffer }

const hashOf = (password: string, salt: Buffer) => scryptSync(password.normalize('NFC'), salt, 32);
/** The same hash off the event loop (libuv's pool): a burst of sign-ins does not stall the gateway beside it. */
const hashOfAsync = (password: string, salt: Buffer) => new Promise<Buffer>((done, fail) => {
  scrypt(password.normalize('NFC'), salt, 32, (error, key) => (error ? fail(error) : done(key)));
});
/** Longer passwords are refused before hashing (ours are 24 characters). */
export const MAX_PASSWORD_LENGTH = 256;

/** The accounts with their passwords, and a check of a username and password in constant time. */
export function accountBook(passwords: Record<string, string>): { accounts: DevAccount[]; check(username: string, password: string): Promise<DevAccount | undefined>; find(username: string): DevAccount | undefined } {
  const accounts = DEV_OFFICES.map((office) => ({ ...office, password: passwords[office.username] ?? newPassword() }));
  const hashed = new Map<string, HashedAccount>(accounts.map((account) => {
    const salt = randomBytes(16);
    return [account.username, { account, salt, hash: hashOf(account.password, salt) }];
  }));
  // An unknown username costs the same scrypt as a known one, so timing does not tell which exist.
  const decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  return {
    accounts,
    async check(username, password) {
      if (password.length > MAX_PASSWORD_LENGTH || username.length > MAX_PASSWORD_LENGTH) return undefined;
      const entry = hashed.get(username.trim().toLowerCase());
      const { salt, hash } = entry ?? decoy;
      const same = timingSafeEqual(await hashOfAsync(password, salt), hash);
      return same && entry ? entry.account : undefined;
    },
    find: (username) => hashed.get(username)?.account,
  };
}
