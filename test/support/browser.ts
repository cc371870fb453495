/**
 * A real browser for the console's tests: Debian's Chromium driven by playwright-core (Playwright's
 * own browser download cannot work here), pages at the two sizes the console is made for, axe-core
 * for accessibility, and screenshots for docs/console/.
 * @example
 * const browser = await launchBrowser();
 * const page = await desktopPage(browser);
 * expect(await axe(page)).toEqual([]);
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The Chromium to drive: CHROMIUM_PATH, or Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless Chromium; `--no-sandbox` because the tests may run as root. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * A page in a context of its own (its own cookies: one officer per context). Errors the page
 * logs (a CSP refusal among them) are kept in `page.errors` for a test to assert on.
 */
export async function newPage(browser: Browser, viewport: { width: number; height: number }, options: BrowserContextOptions = {}): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'fa-IR', timezoneId: 'Asia/Tehran', ...options });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(message.text());
  });
  page.on('pageerror', (error) => page.errors.push(String(error)));
  return page;
}

/** A page at 1280×800. */
export const desktopPage = (browser: Browser, options?: BrowserContextOptions) => newPage(browser, DESKTOP, options);
/** A page at 390×844, a phone held upright. */
export const phonePage = (browser: Browser, options?: BrowserContextOptions) => newPage(browser, PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2, ...options });

let axeSource: string | undefined;

export interface AxeViolation { id: string; impact: string; help: string; nodes: string[] }

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations. axe is
 * evaluated through the DevTools protocol, not added as a <script>: the console's CSP refuses
 * inline scripts, as it should.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
    const { violations } = await run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/**
 * Where the console's screenshots go: docs/console/ (committed, shown in the README) when
 * `CONSOLE_SCREENSHOTS=docs` asks for them (`CONSOLE_SCREENSHOTS=docs npx vitest run test/console.test.ts`),
 * a temporary folder otherwise, so `npm test` leaves the work tree as it found it.
 */
export const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === 'docs'
  ? join(process.cwd(), 'docs/console')
  : join(tmpdir(), 'parvaneh-console-screenshots');

/** Saves the page as <SCREENSHOTS>/<name>.png (the viewport, or the whole page with `fullPage`). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? false, animations: 'disabled' });
  return path;
}
