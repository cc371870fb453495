import { describe, expect, it } from 'vitest';
import { refusalOf } from './change-rules.js';
import { loadDefinitions } from './load.js';
import { addMonths, jalali, tehranDay } from '../platform/dates/time-functions.js';

const shipped = new Map(loadDefinitions('processes').map(({ definition }) => [definition.id, definition]));
const declared = (id: string) => shipped.get(id)!.change;
const at = (iso: string) => Date.parse(iso);

describe('the rules a change declares, judged on its request', () => {
  it('dates a request by its Tehran day: 00:30 in Tehran is already the next day', () => {
    expect(tehranDay(at('2026-03-20T21:00:00Z'))).toBe('2026-03-21');
    expect(jalali(tehranDay(at('2026-03-20T21:00:00Z')))).toBe('1405/01/01');
    expect(tehranDay(at('2026-03-20T20:29:00Z'))).toBe('2026-03-20');
  });

  it('takes a closure notice of 3 Jalali months to the day, not of 3 Gregorian months (Art. 8(11)) §welfare.closure.notice', () => {
    const closure = declared('licence-closure');
    const notice = (receivedOn: string, effectiveDate: string) =>
      refusalOf(closure, { licence: { status: 'active' }, change: { kind: 'permanent', receivedOn, effectiveDate } }, at(`${receivedOn}T08:00:00Z`))?.reason;
    // Received 1405/01/01: 1405/03/31 is three Gregorian months later (2026-06-21) but a day short of three Jalali months.
    expect(jalali('2026-06-21')).toBe('1405/03/31');
    expect(notice('2026-03-21', '2026-06-21')).toBe('CLOSURE_NOTICE_TOO_SHORT');
    expect(notice('2026-03-21', '2026-06-22')).toBeUndefined();
    // Received 1404/09/09: 1404/12/09 (2026-02-28) is three Jalali months, though two Gregorian ones and some days.
    expect(notice('2025-11-30', '2026-02-28')).toBeUndefined();
    expect(notice('2025-11-30', '2026-02-27')).toBe('CLOSURE_NOTICE_TOO_SHORT');
    expect(refusalOf(closure, { licence: { status: 'suspended' }, change: { receivedOn: '2026-03-21', effectiveDate: '2027-01-01' } }, at('2026-03-21T08:00:00Z')))
      .toMatchObject({ reason: 'LICENCE_NOT_ACTIVE' });
    expect(closure!.rules.find((r) => r.reason === 'CLOSURE_NOTICE_TOO_SHORT')).toMatchObject({ field: 'effectiveDate' });
  });

  it('takes an absence as grounds for a successor only when more than 3 Jalali months (seed 002, Art. 8(4), successor-nomination v3) §welfare.successor.causes', () => {
    const nomination = loadDefinitions('processes').find(({ definition: d }) => d.id === 'successor-nomination' && d.version === 3)!.definition.change;
    const successor = { nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی', birthDate: '1985-12-11', sex: 'male', religionRecognised: true };
    const nominated = (absentSince: string, receivedOn: string) =>
      refusalOf(nomination, { licence: { status: 'active' }, change: { cause: 'absence', absentSince, receivedOn, successor } }, at(`${receivedOn}T08:00:00Z`))?.reason;
    // Absent since 1405/06/10: on 1405/09/10 that is 3 months, not more; from 1405/09/11 it is more.
    expect([jalali('2026-09-01'), jalali('2026-12-01')]).toEqual(['1405/06/10', '1405/09/10']);
    expect(nominated('2026-09-01', '2026-12-01')).toBe('ABSENCE_UNDER_3_MONTHS');
    expect(nominated('2026-09-01', '2026-12-02')).toBeUndefined();
    // Absent since 1404/12/10 (2026-03-01): 3 Jalali months is 1405/03/10 (2026-05-31), though 2026-06-01 is 3 Gregorian months.
    expect(nominated('2026-03-01', '2026-05-31')).toBe('ABSENCE_UNDER_3_MONTHS');
    expect(nominated('2026-03-01', '2026-06-01')).toBeUndefined();
    expect(nominated('2026-03-01', '2026-05-30')).toBe('ABSENCE_UNDER_3_MONTHS');
    expect(refusalOf(nomination, { licence: { status: 'active' }, change: { cause: 'absence', receivedOn: '2026-12-01', successor } }, at('2026-12-01T08:00:00Z'))?.reason)
      .toBe('ABSENCE_UNDER_3_MONTHS');
    expect(refusalOf(nomination, { licence: { status: 'active' }, change: { cause: 'death', receivedOn: '2026-12-01', successor } }, at('2026-12-01T08:00:00Z'))).toBeUndefined();
  });

  it('opens the renewal window 3 Jalali months before expiry and closes it at expiry §welfare.activity-licence.renewal', () => {
    const renewal = declared('welfare-activity-licence-renewal');
    const validUntil = '2031-11-23T09:05:00.000Z';
    const requested = (iso: string, status = 'active') => refusalOf(renewal, { licence: { status, validUntil }, change: {} }, at(iso))?.reason;
    const opens = addMonths(validUntil, -3);
    expect(jalali(opens)).toBe('1410/06/02');
    expect(requested('2026-11-23T09:05:00Z')).toBe('RENEWAL_TOO_EARLY');
    expect(requested(new Date(at(opens) - 1).toISOString())).toBe('RENEWAL_TOO_EARLY');
    expect(requested(opens)).toBeUndefined();
    expect(requested('2031-11-23T09:04:59.999Z')).toBeUndefined();
    expect(requested(validUntil)).toBe('RENEWAL_TOO_LATE');
    expect(requested('2031-12-01T00:00:00Z', 'expired')).toBe('RENEWAL_TOO_LATE');
    expect(requested('2026-11-23T09:05:00Z', 'revoked')).toBe('LICENCE_NOT_ACTIVE');
  });

  it('judges a manager\'s leave by its length: a substitute under 6 months, a new manager from 6 §manager.leave.replacement', () => {
    const leave = declared('centre-manager-leave');
    const person = { nationalCode: '0013579134' };
    const judged = (change: Record<string, unknown>) => refusalOf(leave, { licence: { status: 'active' }, change }, at('2026-11-23T09:05:00Z'));
    expect(judged({ months: 2 })).toMatchObject({ reason: 'SUBSTITUTE_NOT_NAMED', field: 'substitute' });
    expect(judged({ months: 2, substitute: person })).toBeUndefined();
    expect(judged({ months: 6, substitute: person })).toMatchObject({ reason: 'NEW_MANAGER_NOT_NAMED', field: 'newManager' });
    expect(judged({ months: 6, newManager: person })).toBeUndefined();
  });
});
