/**
 * The console session's secrets: the cookie value (32 random bytes, base64url) names the session
 * only through its SHA-256, and the session's tokens are sealed with AES-256-GCM under a key derived
 * from the cookie value (HKDF-SHA256). Whoever reads the sessions table has hashes and ciphertext:
 * no cookie to present and no key to open the tokens with.
 * @example const box = sealTokens(cookie, { accessToken, idToken }); openTokens(cookie, box)
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** What a session keeps sealed. */
export interface SessionTokens { accessToken: string; idToken: string }

const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = Buffer.from('parvaneh-console-session');
const INFO = Buffer.from('session tokens, AES-256-GCM, v1');

/** A fresh random value for a cookie (32 bytes, base64url). */
export const newCookieValue = () => randomBytes(32).toString('base64url');

/** How a cookie value (or a state) is looked up: its SHA-256, hex. */
export const lookupHash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

function keyOf(cookieValue: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(cookieValue, 'utf8'), SALT, INFO, 32));
}

/** `iv ‖ tag ‖ ciphertext`; the session's lookup hash is bound as associated data, so a box cannot move to another row. */
export function sealTokens(cookieValue: string, tokens: SessionTokens): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(cookieValue), iv);
  cipher.setAAD(Buffer.from(lookupHash(cookieValue)));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** The tokens, or undefined when the box was not sealed with this cookie value (or was changed). */
export function openTokens(cookieValue: string, box: Buffer): SessionTokens | undefined {
  if (box.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(cookieValue), box.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(lookupHash(cookieValue)));
    decipher.setAuthTag(box.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(box.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as SessionTokens;
  } catch {
    return undefined;
  }
}
