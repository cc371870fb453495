/**
 * The officers' console under test, and what an officer does in it, for the browser tests.
 *
 * `startConsole` is, for now, a STAND-IN for the console's backend-for-frontend (console/server,
 * helper console-auth, not on main yet): it serves console/dist under the console's CSP, answers
 * /console/session for one office, and forwards /console/api/* to the harness's gateway with that
 * office's token, passing the signed response through as the contract says. When the real stack
 * lands, replace its body with the IdP and `createGateway({ console })`, and `signIn` with the real
 * login page; the page helpers below do not change.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole, consoleIsCurrent } from '../../scripts/build-console.js';
import type { Harness } from './harness.js';
import { CALLERS, type Caller } from './tokens.js';

/** The console's CSP (docs/console.md): no inline script or style, nothing from elsewhere. */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const FORWARDED_REQUEST = ['content-type', 'accept', 'idempotency-key', 'accept-language'];
const FORWARDED_RESPONSE = ['x-jws-signature', 'content-type', 'content-disposition', 'x-request-id', 'retry-after', 'allow'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2' };

export interface ConsoleUnderTest {
  url: string;
  /** Signs `account` in on `page` and leaves it on the inbox. */
  signIn(page: Page, account: Caller): Promise<void>;
  close(): Promise<void>;
}

export async function startConsole(h: Harness): Promise<ConsoleUnderTest> {
  if (!consoleIsCurrent()) await buildConsole();
  const dist = join(process.cwd(), 'console/dist');
  // Stand-in sessions: a cookie naming an account, its token kept here (server side), as the BFF does.
  const tokens = new Map<string, string>();
  const accountOf = (cookie: string | undefined) => /(?:^|;\s*)standin=([a-z]+)/.exec(cookie ?? '')?.[1];
  const app = new Hono();
  app.get('/.well-known/jwks.json', () => fetch(`${h.gatewayUrl}/.well-known/jwks.json`));
  app.get('/console/standin-login/:account', async (c) => {
    const account = c.req.param('account') as Caller;
    if (!(account in CALLERS)) return c.text('unknown account', 400);
    tokens.set(account, await h.issuer.mint({ ...CALLERS[account], sub: account }));
    c.header('set-cookie', `standin=${account}; Path=/console; HttpOnly; SameSite=Lax`);
    return c.redirect('/console/', 302);
  });
  app.get('/console/session', (c) => {
    const account = accountOf(c.req.header('cookie')) as Caller | undefined;
    if (!account || !tokens.has(account)) return c.json({ type: 'unauthenticated', status: 401 }, 401);
    const caller = CALLERS[account] as { role: string; county?: string; province?: string };
    return c.json({ subject: account, name: account, role: caller.role, county: caller.county ?? null, province: caller.province ?? (caller.county ? 'khuzestan' : null) });
  });
  app.all('/console/api/*', async (c) => {
    const token = tokens.get(accountOf(c.req.header('cookie')) ?? '');
    if (!token) return c.json({ type: 'unauthenticated', status: 401 }, 401);
    if (!['GET', 'HEAD'].includes(c.req.method) && c.req.header('x-parvaneh-console') !== '1') return c.json({ type: 'forbidden', status: 403 }, 403);
    const url = new URL(c.req.url);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    for (const name of FORWARDED_REQUEST) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    const body = ['GET', 'HEAD'].includes(c.req.method) ? undefined : await c.req.arrayBuffer();
    const res = await fetch(`${h.gatewayUrl}${url.pathname.slice('/console/api'.length)}${url.search}`, { method: c.req.method, headers, body });
    const out = new Headers();
    for (const name of FORWARDED_RESPONSE) {
      const value = res.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(await res.arrayBuffer(), { status: res.status, headers: out });
  });
  app.get('/console/assets/:file', (c) => {
    const path = join(dist, 'assets', basename(c.req.param('file')));
    if (!existsSync(path)) return c.notFound();
    return new Response(readFileSync(path), { headers: { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' } });
  });
  app.get('/console/*', () => new Response(readFileSync(join(dist, 'index.html')), {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONSOLE_CSP, 'cache-control': 'no-store' },
  }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async signIn(page, account) {
      await page.goto(`${url}/console/standin-login/${account}`);
      await page.waitForSelector('[data-office]');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until the page's main content has loaded (no "loading" line left). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'), undefined, { timeout: 30_000 });
}

/** The inbox, with `filters` (licenceType, stepId, due) as the form would put them in the URL. */
export async function openInbox(page: Page, base: string, filters: Record<string, string> = {}): Promise<void> {
  const query = new URLSearchParams(filters).toString();
  await page.goto(`${base}/console/${query ? `?${query}` : ''}`);
  await settled(page);
}

/** Follows the inbox's link to a task, as an officer clicks it, and waits for its decision form. */
export async function openTask(page: Page, taskId: string): Promise<void> {
  await page.click(`a[href="/console/tasks/${encodeURIComponent(taskId)}"]`);
  await page.waitForSelector('form.decision, main [role="alert"]', { timeout: 30_000 });
}

/**
 * Decides the open task by keyboard only: Tab to the outcome, Space to choose it, the reason and
 * recorded fields typed, Enter on the button (twice: the console must send one decision). Returns
 * the result message.
 */
export async function decide(page: Page, outcome: string, opts: { reason?: string; fields?: Record<string, string> } = {}): Promise<string> {
  const radio = page.locator(`#outcome-${outcome}`);
  await radio.focus();
  await page.keyboard.press('Space');
  if (opts.reason !== undefined) {
    await page.locator('#reason').focus();
    await page.keyboard.type(opts.reason);
  }
  for (const [name, value] of Object.entries(opts.fields ?? {})) await page.locator(`#rec-${name}`).fill(value);
  const button = page.locator('form.decision button[type="submit"]');
  await button.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const status = page.locator('#decision-status');
  await status.locator('.success, .error').first().waitFor({ timeout: 30_000 });
  return (await status.textContent()) ?? '';
}
