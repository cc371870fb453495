/**
 * The single-page app's files from `distDir` (console-app's build): `index.html` for every page
 * (never cached, under a strict CSP: no inline script or style anywhere), and `assets/<file>`
 * (content-hashed names, so cached for a year). Until the app is built, its pages answer 503.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Context } from 'hono';
import { DomainError } from '../../services/errors.js';

export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
  + "connect-src 'self'; frame-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

/** A plain file name: no folder, no dot first (so no `..`, no hidden file). */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

const notBuilt = () => new DomainError('unavailable', 'console-not-built', { fa: 'پیشخوان هنوز ساخته نشده است', en: 'the console is not built' },
  'console/dist has no index.html: run the install step (npm ci runs the console build)');

const noAsset = (name: string) => new DomainError('not-found', 'no-such-asset', { fa: 'فایل یافت نشد', en: 'no such file' }, `no console asset ${name}`);

/** Serves the app's pages and assets from `distDir`. */
export function spaFiles(distDir: string) {
  return {
    async page(c: Context): Promise<Response> {
      let html: Buffer;
      try {
        html = await readFile(join(distDir, 'index.html'));
      } catch {
        throw notBuilt();
      }
      return c.body(new Uint8Array(html), 200, {
        'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONSOLE_CSP,
        'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
      });
    },
    async asset(c: Context, name: string): Promise<Response> {
      if (!ASSET_NAME.test(name)) throw noAsset(name);
      let bytes: Buffer;
      try {
        bytes = await readFile(join(distDir, 'assets', name));
      } catch {
        throw noAsset(name);
      }
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff',
      });
    },
  };
}
