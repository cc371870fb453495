import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNationalCode } from './persons.js';
import { control, inquire, json } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';
import { paidThrough } from './social-insurance.js';

describe('paidThrough', () => {
  it('is the last day of the last completed calendar quarter when nothing is in arrears', () => {
    expect(paidThrough(Date.UTC(2026, 4, 10), 0)).toBe('2026-03-31');
    expect(paidThrough(Date.UTC(2026, 3, 1), 0)).toBe('2026-03-31');
    expect(paidThrough(Date.UTC(2026, 2, 31, 23, 59), 0)).toBe('2025-12-31');
    expect(paidThrough(Date.UTC(2026, 8, 30), 0)).toBe('2026-06-30');
    expect(paidThrough(Date.UTC(2026, 11, 31), 0)).toBe('2026-09-30');
  });

  it('moves back one quarter per quarter in arrears, across years', () => {
    expect(paidThrough(Date.UTC(2026, 4, 10), 1)).toBe('2025-12-31');
    expect(paidThrough(Date.UTC(2026, 4, 10), 2)).toBe('2025-09-30');
    expect(paidThrough(Date.UTC(2026, 0, 15), 5)).toBe('2024-09-30');
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

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, clockOffsetMs: Date.UTC(2026, 4, 10) - Date.now() });
  });
  afterAll(() => sandbox.close());

  it('answers synchronously that a fixture is insured and paid through the last completed quarter', async () => {
    expect(await answerOf('0012345679')).toEqual({
      nationalCode: '0012345679', found: true, insured: true, workshopCode: '1410020011', insuredStaff: 7, paidThrough: '2026-03-31',
    });
  });

  it('reports the arrears fixture 0024681350 paid only through two quarters earlier', async () => {
    const fixtures = json(await control(sandbox.url, 'GET', '/fixtures/persons'));
    expect(fixtures.find((p: { nationalCode: string }) => p.nationalCode === '0024681350').description).toContain('arrears');
    expect(await answerOf('0024681350')).toMatchObject({ insured: true, paidThrough: '2025-09-30' });
  });

  it('follows the sandbox clock into the next quarter', async () => {
    await control(sandbox.url, 'POST', '/control/clock', { advanceMs: 60 * 86_400_000 });
    expect((await answerOf('0013579134')).paidThrough).toBe('2026-06-30');
  });

  it('gives a generated person a workshop in their county, some staff, and paid-up premiums', async () => {
    const answer = await answerOf(generateNationalCode(7));
    expect(answer).toMatchObject({ found: true, insured: true, workshopCode: expect.stringMatching(/^(14|16|28)\d{8}$/) });
    expect(answer.insuredStaff).toBeGreaterThanOrEqual(2);
    expect(answer.paidThrough).toMatch(/^\d{4}-(03-31|06-30|09-30|12-31)$/);
  });

  it('answers found:false for an unknown national code', async () => {
    expect(await answerOf('0012345678')).toEqual({ nationalCode: '0012345678', found: false });
  });
});
