/**
 * The officers' console under test, on the real stack, and what an officer does in it, for the
 * browser tests: the gateway with its console mounted (the harness's `console` option, with the
 * app built into console/dist), the embedded OpenID provider's login page, and the page helpers.
 * @example
 * const h = await startConsoleHarness({ temporal: 'dev-server' });
 * const consoleApp = startConsole(h);
 * await consoleApp.signIn(page, 'ahvaz');
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole, consoleIsCurrent } from '../../scripts/build-console.js';
import { startHarness, type Harness } from './harness.js';

/** The console's CSP (docs/console.md): no inline script or style, nothing from elsewhere. */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The development provider's accounts, one per office. */
export type OfficeAccount = 'ahvaz' | 'dezful' | 'khuzestan' | 'markazi' | 'national';

export interface ConsoleUnderTest {
  /** The gateway's URL: the console is under `${url}/console/`. */
  url: string;
  /**
   * Signs `account` in on `page` as an officer does: opens /console/, is sent to the provider's
   * login page, types the username and password, submits, and lands on the inbox.
   */
  signIn(page: Page, account: OfficeAccount): Promise<void>;
  /** Signs out with the header's button, confirms at the provider, and waits for the console's "signed out" page. */
  signOut(page: Page): Promise<void>;
}

/** The harness with the console mounted, its app built first when console/dist is not current. */
export async function startConsoleHarness(opts: Omit<Parameters<typeof startHarness>[0] & object, 'console'> = {}): Promise<Harness> {
  if (!consoleIsCurrent()) await buildConsole();
  return startHarness({ ...opts, console: { distDir: join(process.cwd(), 'console/dist') } });
}

/** The console of a harness started by `startConsoleHarness`. */
export function startConsole(h: Harness): ConsoleUnderTest {
  const idp = h.idp;
  if (!idp) throw new Error('the harness has no console: start it with startConsoleHarness');
  const url = h.gatewayUrl;
  return {
    url,
    async signIn(page, account) {
      const { password } = idp.accounts.find((a) => a.username === account)!;
      await page.goto(`${url}/console/`);
      await page.waitForURL((u) => u.origin === idp.issuer, { timeout: 30_000 });
      await page.locator('#username').fill(account);
      await page.locator('#password').fill(password);
      await Promise.all([page.waitForURL(`${url}/console/**`, { timeout: 30_000 }), page.locator('form button[type="submit"]').click()]);
      await page.waitForSelector('[data-office]', { timeout: 30_000 });
      // Chromium logs the console's first /console/session answer, 401 before signing in, as an error: it is the expected one.
      const errors = (page as Page & { errors?: string[] }).errors;
      if (errors) errors.splice(0, errors.length, ...errors.filter((e) => !/status of 401/.test(e)));
    },
    async signOut(page) {
      await page.locator('header .actions button:not([lang])').click();
      await page.waitForURL((u) => u.origin === idp.issuer, { timeout: 30_000 });
      await page.locator('button[name="logout"][value="yes"]').click();
      await page.waitForURL(`${url}/console/signed-out`, { timeout: 30_000 });
    },
  };
}

/** Waits until the page's main content has loaded (no "loading" line left). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'), undefined, { timeout: 30_000 });
}

/**
 * Waits until the document is in `lang`, written `dir` (the console sets both in an effect, after it
 * renders), and fails naming what it found if that does not happen within 10 s.
 */
export async function inLanguage(page: Page, lang: 'fa' | 'en', dir: 'rtl' | 'ltr'): Promise<void> {
  try {
    await page.waitForSelector(`html[lang="${lang}"][dir="${dir}"]`, { state: 'attached', timeout: 10_000 });
  } catch {
    const found = await page.evaluate(() => `${document.documentElement.lang} ${document.documentElement.dir}`);
    throw new Error(`expected the page in ${lang} ${dir}, found ${found}`);
  }
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
 * Types what an outcome records into the console's recorded-fields form, by keyboard where a
 * keyboard does it: numbers typed, a list's rows added and their fields filled, booleans and many-valued choices ticked with
 * Space, a one-valued choice picked in its list.
 */
export async function fillRecorded(page: Page, recorded: Record<string, unknown>, prefix = 'rec-'): Promise<void> {
  for (const [name, value] of Object.entries(recorded)) {
    const id = `${prefix}${name}`;
    const field = page.locator(`#${id}`);
    if (typeof value === 'boolean') {
      if (value) await tick(page, `#${id}`);
    } else if (typeof value === 'string') await field.selectOption(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      for (const v of value) await tick(page, `#${id}-${v}`);
    } else if (Array.isArray(value)) {
      // A list of records: a row added by keyboard for each, then its fields filled (`<id>-<row>-<field>`).
      for (const [row, item] of value.entries()) {
        await page.locator(`#${id}-add`).focus();
        await page.keyboard.press('Enter');
        await fillRecorded(page, item as Record<string, unknown>, `${id}-${row}-`);
      }
    } else {
      await field.focus();
      await page.keyboard.type(typeof value === 'number' ? String(value) : JSON.stringify(value));
    }
  }
}

async function tick(page: Page, selector: string) {
  await page.locator(selector).focus();
  await page.keyboard.press('Space');
}

/**
 * Decides the open task by keyboard only: Tab to the outcome, Space to choose it, the reason and
 * recorded fields typed (`fillRecorded`), Enter on the button (twice: the console must send one
 * decision). Returns the result message.
 */
export async function decide(page: Page, outcome: string, opts: { reason?: string; recorded?: Record<string, unknown> } = {}): Promise<string> {
  await tick(page, `#outcome-${outcome}`);
  if (opts.reason !== undefined) {
    await page.locator('#reason').focus();
    await page.keyboard.type(opts.reason);
  }
  await fillRecorded(page, opts.recorded ?? {});
  const button = page.locator('form.decision button[type="submit"]');
  await button.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const status = page.locator('#decision-status');
  await status.locator('.success, .error').first().waitFor({ timeout: 30_000 });
  return (await status.textContent()) ?? '';
}
