/**
 * The officers' console in a real browser (Debian's Chromium through playwright-core) on the real
 * gateway, Temporal and PostgreSQL: a county officer finds a fresh application's interview task in
 * the inbox, reads it, decides it by keyboard with one decision sent whatever the key presses; a
 * response altered by one byte is refused as unverified; axe-core finds no serious or critical
 * violation on any page (the screenshots of docs/console/ are test/console.test.ts's).
 * The officer signs in at the embedded OpenID provider's login page, and signs out with the
 * header's button: the next visit asks to sign in again.
 */
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { api, eventually, generatedApplication, taskInInbox } from './support/api.js';
import { axe, desktopPage, launchBrowser, phonePage, screenshot } from './support/browser.js';
import { registrationFor } from './support/competitions.js';
import { CONSOLE_CSP, decide, inLanguage, openInbox, openTask, settled, startConsole, startConsoleHarness, type ConsoleUnderTest } from './support/console.js';
import type { Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
let consoleApp: ConsoleUnderTest;
let browser: Browser;
let page: Page & { errors: string[] };
let applicationId: string;
let taskId: string;

beforeAll(async () => {
  h = await startConsoleHarness({ temporal: 'dev-server' });
  tokens = await officeTokens(h);
  consoleApp = startConsole(h);
  browser = await launchBrowser();
  const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await generatedApplication(9_400) });
  expect(submitted.status, submitted.text).toBe(202);
  applicationId = submitted.body.applicationId;
  taskId = (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id;
  page = await desktopPage(browser);
  await consoleApp.signIn(page, 'ahvaz');
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** No serious or critical accessibility violation on the page as it is. */
async function accessible(p: Page) {
  expect(await axe(p)).toEqual([]);
}

describe('the officers\' console in Chromium', () => {
  it('shows the county office its inbox, in Persian and right to left, with the fresh application\'s interview task', async () => {
    const served = await page.goto(`${consoleApp.url}/console/`);
    expect(served?.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    await settled(page);
    expect(await page.getAttribute('html', 'lang')).toBe('fa');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('[data-office]')).toContain('اهواز');
    const link = page.locator(`a[href="/console/tasks/${taskId}"]`);
    expect(await link.textContent()).toBe('مصاحبه اولیه و نیازسنجی شهرستان');
    // The due date in Jalali with Persian digits, the Gregorian date on hover.
    const due = page.locator('table.inbox tbody tr', { has: link }).locator('time');
    expect(await due.textContent()).toMatch(/[۰-۹]+ [آ-ی]+ ۱۴۰[۵-۶]/);
    expect(await due.getAttribute('title')).toMatch(/20\d\d/);
    await accessible(page);
    expect(page.errors).toEqual([]);
  });

  it('shows the inbox readable on a 390-pixel-wide phone', async () => {
    const phone = await phonePage(browser);
    await consoleApp.signIn(phone, 'ahvaz');
    await openInbox(phone, consoleApp.url);
    await phone.waitForSelector(`a[href="/console/tasks/${taskId}"]`);
    // Nothing wider than the screen: the table stacks.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await accessible(phone);
    await phone.context().close();
  });

  it('shows the application with its steps, the passed ones and the current one marked', async () => {
    const errorsBefore = page.errors.length;
    await page.goto(`${consoleApp.url}/console/applications/${applicationId}`);
    await settled(page);
    const current = page.locator('ol.steps li[aria-current="step"]');
    expect(await current.count()).toBeGreaterThanOrEqual(1);
    expect(await current.first().textContent()).toContain('initial-interview');
    expect(await page.locator('ol.steps li.step-passed').count()).toBeGreaterThan(0);

    // The process drawn as SVG from the definition's graph: one node per node of the graph, the
    // current step outlined with aria-current, the steps passed marked, an accessible name.
    const graph = await api<{ nodes: { id: string; kind: string }[] }>(h, 'GET', '/v1/licence-types/welfare-services-centre/graph?version=4');
    expect(graph.status, graph.text).toBe(200);
    const svg = page.locator('svg.diagram[role="img"]');
    expect(await svg.count()).toBe(1);
    expect(await page.locator('svg.diagram g.node[data-step]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step'))))
      .toEqual(graph.body.nodes.map((n) => n.id));
    expect(await page.locator('svg.diagram g.node[aria-current="step"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step'))))
      .toEqual(['initial-interview']);
    expect(await page.locator('svg.diagram g.node-passed').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.diagram g.node[data-step="eligibility"]').getAttribute('data-state')).toBe('passed');
    expect(await page.locator('svg.diagram g.edge path[marker-end]').count()).toBeGreaterThan(0);
    const name = await svg.evaluate((el) => (el.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' | '));
    expect(name).toContain('نمودار فرایند');
    expect(name).toContain('مرحله جاری: مصاحبه اولیه و نیازسنجی شهرستان');
    // The ordered list stays right after the drawing, as its text alternative.
    expect(await page.locator('.diagram-wrap + ol.steps').count()).toBe(1);
    await accessible(page);
    expect(page.errors.slice(errorsBefore)).toEqual([]);
  });

  it('draws the process on a 390-pixel-wide phone in a region that scrolls sideways, the page not', async () => {
    const phone = await phonePage(browser);
    await consoleApp.signIn(phone, 'ahvaz');
    await phone.goto(`${consoleApp.url}/console/applications/${applicationId}`);
    await settled(phone);
    await phone.waitForSelector('svg.diagram g.node[aria-current="step"]');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const region = phone.locator('.diagram-wrap');
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await accessible(phone);
    expect(phone.errors).toEqual([]);
    await phone.context().close();
  });

  it('decides the task by keyboard: the outcome, then Enter twice on the button sends one decision', async () => {
    await openInbox(page, consoleApp.url);
    await openTask(page, taskId);
    expect(await page.textContent('main h1')).toBe('مصاحبه اولیه و نیازسنجی شهرستان');
    await accessible(page);
    expect(await decide(page, 'accept')).toContain('تصمیم ثبت شد');
    const decisions = await eventually(async () => {
      const rows = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.decided'), eq(auditLog.subjectId, taskId)));
      return rows.length ? rows : undefined;
    }, 'the decision to be audited');
    await new Promise((r) => setTimeout(r, 500));
    expect(decisions).toHaveLength(1);
    expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.decided'), eq(auditLog.subjectId, taskId)))).toHaveLength(1);
  });

  it('refuses a response altered by one byte: the verification error is shown, not the data', async () => {
    await page.route('**/console/api/v1/tasks*', async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[body.length - 2]! ^= 0x01;
      await route.fulfill({ response, body });
    });
    try {
      await openInbox(page, consoleApp.url);
      const error = page.locator('[data-error="unverified"]');
      expect(await error.textContent()).toContain('امضای پاسخ سرور تأیید نشد');
      expect(await page.locator('table.inbox').count()).toBe(0);
      await accessible(page);
    } finally {
      await page.unroute('**/console/api/v1/tasks*');
    }
  });

  it('refuses a genuine answer replayed for a later request: its signature names the earlier request (rid)', async () => {
    // The first inbox answer is kept whole (body and signature) and served again for the next request.
    let kept: { body: Buffer; headers: Record<string, string>; status: number } | undefined;
    await page.route('**/console/api/v1/tasks*', async (route) => {
      if (!kept) {
        const response = await route.fetch();
        kept = { body: Buffer.from(await response.body()), headers: response.headers(), status: response.status() };
        await route.fulfill({ status: kept.status, headers: kept.headers, body: kept.body });
      } else await route.fulfill({ status: kept.status, headers: kept.headers, body: kept.body });
    });
    try {
      await openInbox(page, consoleApp.url);
      expect(await page.locator('#inbox-status').count()).toBe(1);
      await page.reload();
      await settled(page);
      const error = page.locator('[data-error="unverified"]');
      expect(await error.textContent()).toContain('امضای پاسخ سرور تأیید نشد');
      expect(await page.locator('#inbox-status').count()).toBe(0);
    } finally {
      await page.unroute('**/console/api/v1/tasks*');
    }
  });

  it('shows the competitive call the Khuzestan office runs, with the applicants registered in it; a county office sees none', async () => {
    // Two applicants register in the Health Services Office call through the portal; the Khuzestan
    // office, which runs it (its universities lie in the province), sees the call and both of them.
    const call = 'health-services-office-call-1405';
    const trackingCodes: string[] = [];
    for (const seed of [9601, 9602]) {
      const res = await api<{ trackingCode: string }>(h, 'POST', `/v1/calls/${call}/registrations`, { token: tokens.portal, body: await registrationFor(seed, { county: 'ahvaz' }) });
      expect(res.status, res.text).toBe(202);
      trackingCodes.push(res.body.trackingCode);
    }
    const khuzestan = await desktopPage(browser);
    try {
      await consoleApp.signIn(khuzestan, 'khuzestan');
      await khuzestan.goto(`${consoleApp.url}/console/calls`);
      await settled(khuzestan);
      await accessible(khuzestan);
      await khuzestan.locator(`a[href="/console/calls/${call}"]`).click();
      for (const code of trackingCodes) await khuzestan.getByRole('link', { name: code }).first().waitFor({ timeout: 30_000 });
      await accessible(khuzestan);
      await screenshot(khuzestan, 'call', { fullPage: true });
    } finally {
      await khuzestan.context().close();
    }
    // The Ahvaz county office runs no call: the console shows the API's refusal, not a list.
    await page.goto(`${consoleApp.url}/console/calls`);
    await settled(page);
    expect(await page.locator(`a[href="/console/calls/${call}"]`).count()).toBe(0);
    expect(await page.locator('main [role="alert"]').count()).toBe(1);
  });

  it('shows a licence of the register with its validity in Jalali and the changes its definition offers', async () => {
    const { activityLicence } = await throughToActivityLicence(h, { tokens, applicant: 9_401 });
    await page.goto(`${consoleApp.url}/console/licences`);
    await settled(page);
    await accessible(page);
    await page.goto(`${consoleApp.url}/console/licences/${encodeURIComponent(activityLicence)}`);
    await settled(page);
    expect(await page.textContent('main h1')).toContain(activityLicence);
    expect(await page.locator('main time').first().textContent()).toMatch(/۱۴۰[۵-۶]/);
    expect(await page.locator('details.change').count()).toBeGreaterThan(0);
    await accessible(page);
  });

  it('switches to English, left to right, and keeps the choice', async () => {
    await openInbox(page, consoleApp.url);
    await page.click('header .actions button[lang="en"]');
    // The page applies the language after it renders (an effect): wait for it, then read it.
    await inLanguage(page, 'en', 'ltr');
    await page.reload();
    await settled(page);
    await inLanguage(page, 'en', 'ltr');
    expect(await page.textContent('main h1')).toBe('Inbox');
    await accessible(page);
    await page.click('header .actions button[lang="fa"]');
    await inLanguage(page, 'fa', 'rtl');
  });

  it('signs out with the header\'s button: the session ends, and the next visit to /console/ asks to sign in again', async () => {
    await openInbox(page, consoleApp.url);
    await consoleApp.signOut(page);
    await settled(page);
    expect(await page.locator('main a[href^="/console/login"]').count()).toBe(1);
    await accessible(page);
    const session = await page.request.get(`${consoleApp.url}/console/session`);
    expect(session.status()).toBe(401);
    await page.goto(`${consoleApp.url}/console/`);
    await page.waitForURL((u) => u.origin === h.idp!.issuer, { timeout: 30_000 });
    expect(await page.locator('input#password').count()).toBe(1);
  });
});
