import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jalali, quarterEnd } from '../platform/dates/time-functions.js';
import { generateNationalCode } from './persons.js';
import { control, inquire, json } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';
import { paidThrough } from './social-insurance.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** 1 Farvardin 1405, the Jalali new year, begins at this instant: 00:00 in Tehran (UTC+03:30). */
const NOWRUZ_1405 = Date.parse('2026-03-21T00:00:00+03:30');

describe('paidThrough', () => {
  it('is the last day of the last completed Jalali quarter when nothing is in arrears', () => {
    expect(paidThrough(Date.UTC(2026, 4, 10), 0)).toBe('2026-03-20'); // 1404/12/29
    expect(paidThrough(Date.UTC(2026, 7, 1), 0)).toBe('2026-06-21'); // 1405/03/31
    expect(paidThrough(Date.UTC(2026, 9, 1), 0)).toBe('2026-09-22'); // 1405/06/31
    expect(paidThrough(Date.UTC(2027, 0, 1), 0)).toBe('2026-12-21'); // 1405/09/30
  });

  it('turns at midnight in Tehran on 1 Farvardin, not on 1 April in UTC', () => {
    expect(paidThrough(NOWRUZ_1405 - 1, 0)).toBe('2025-12-21'); // 1404/12/29 23:59:59 in Tehran: winter still running
    expect(paidThrough(NOWRUZ_1405, 0)).toBe('2026-03-20');
    // Between Nowruz and April a Gregorian registry would still say 2025-12-31, and from April 2026-03-31.
    expect(paidThrough(Date.UTC(2026, 2, 25), 0)).toBe('2026-03-20');
    expect(paidThrough(Date.UTC(2026, 3, 1), 0)).toBe('2026-03-20');
  });

  it('moves back one Jalali quarter per quarter in arrears, across years', () => {
    expect(paidThrough(Date.UTC(2026, 4, 10), 1)).toBe('2025-12-21'); // 1404/09/30
    expect(paidThrough(Date.UTC(2026, 4, 10), 2)).toBe('2025-09-22'); // 1404/06/31
    expect(paidThrough(Date.UTC(2026, 0, 15), 5)).toBe('2024-09-21'); // 1403/06/31, counted from 1404/10/25
    expect(paidThrough(Date.UTC(2026, 4, 10), 4)).toBe('2025-03-20'); // 1403/12/30, a leap Esfand
  });
});

describe('social insurance registry', () => {
  let sandbox: RunningSandbox;
  let seq = 0;
  const answerOf = async (nationalCode: string) => {
    const res = await inquire(sandbox.url, 'social-insurance', `si-${++seq}`, nationalCode);
    expect(res.status).toBe(200);
    return json(res).answer;
  };
  const setClock = (at: number) => control(sandbox.url, 'POST', '/control/clock', { offsetMs: at - Date.now() });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, clockOffsetMs: Date.UTC(2026, 4, 10) - Date.now() });
  });
  afterAll(() => sandbox.close());

  it('answers synchronously that a fixture is insured and paid through the last completed Jalali quarter', async () => {
    expect(await answerOf('0012345679')).toEqual({
      nationalCode: '0012345679', found: true, insured: true, workshopCode: '1410020011', insuredStaff: 7, paidThrough: '2026-03-20',
    });
  });

  it('reports the arrears fixture 0024681350 paid only through two quarters earlier', async () => {
    const fixtures = json(await control(sandbox.url, 'GET', '/fixtures/persons'));
    expect(fixtures.find((p: { nationalCode: string }) => p.nationalCode === '0024681350').description).toContain('arrears');
    expect(await answerOf('0024681350')).toMatchObject({ insured: true, paidThrough: '2025-09-22' });
  });

  it('attributes a filing to the Jalali quarter in Tehran time across the new year, where Gregorian quarters differ', async () => {
    // A minute before Nowruz in Tehran (20:29 UTC on 20 March), winter 1404 is not yet over.
    await setClock(NOWRUZ_1405 - MINUTE_MS);
    expect((await answerOf('0012345679')).paidThrough).toBe('2025-12-21');
    await setClock(NOWRUZ_1405 + MINUTE_MS);
    const afterNowruz = await answerOf('0012345679');
    expect(afterNowruz.paidThrough).toBe('2026-03-20');
    expect(jalali(afterNowruz.paidThrough)).toBe('1404/12/29');
    // On 1 April winter 1404 is still the last completed quarter; a calendar-quarter registry would say 2026-03-31.
    await setClock(Date.UTC(2026, 3, 1, 12));
    expect((await answerOf('0012345679')).paidThrough).toBe('2026-03-20');
  });

  it('follows the sandbox clock to the quarter centre-staff-insurance asks about, a month after it ends', async () => {
    // The process asks on addDays(quarterEnd(now), 30) and needs paidThrough >= quarterEnd(now).
    const lastDay = quarterEnd('2026-05-10'); // 1405/03/31
    await setClock(Date.parse(`${lastDay}T00:00:00+03:30`) + 30 * DAY_MS + 60 * MINUTE_MS);
    expect(await answerOf('0013579134')).toMatchObject({ paidThrough: lastDay });
    expect((await answerOf('0024681350')).paidThrough < lastDay).toBe(true);
  });

  it('gives a generated person a workshop in their county, some staff, and paid-up premiums', async () => {
    const answer = await answerOf(generateNationalCode(7));
    expect(answer).toMatchObject({ found: true, insured: true, workshopCode: expect.stringMatching(/^(14|16|28)\d{8}$/) });
    expect(answer.insuredStaff).toBeGreaterThanOrEqual(2);
    expect(quarterEnd(answer.paidThrough)).toBe(answer.paidThrough);
  });

  it('answers found:false for an unknown national code', async () => {
    expect(await answerOf('0012345678')).toEqual({ nationalCode: '0012345678', found: false });
  });
});
