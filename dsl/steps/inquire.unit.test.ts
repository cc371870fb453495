import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const civil = {
  type: 'inquire', registry: 'civil-registry', subject: 'applicant.nationalCode', timeout: { workingDays: 10 },
  saveAs: 'civil', next: 'done', late: 'refused',
};

describe('the inquire step', () => {
  it('leads on by next with the answer, and to late when the registry has not answered by the timeout', () => {
    const sample = sampleProcess({ civil, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('civil')).toEqual(['next:done', 'late:refused']);
  });

  it('is drawn as an exchange naming the registry and its timeout', () => {
    const { diagram } = sampleProcess({ civil, done, refused });
    expect(diagram).toContain('s_civil[/"استعلام<br/>inquiry<br/>civil-registry · ۱۰ روز کاری<br/>10 working days<br/><small>civil</small>"/]');
    expect(diagram).toContain('s_civil -->|"پایان مهلت<br/>timed out"| s_refused');
  });

  it('takes a fixed Jalali date as its timeout', () => {
    const sample = sampleProcess({ civil: { ...civil, timeout: { date: '1405/06/31' } }, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.diagram).toContain('civil-registry · تا ۱۴۰۵/۰۶/۳۱<br/>until 1405/06/31');
  });

  it('keeps a late answer for the record unless told to apply it, and knows no third policy', () => {
    expect(sampleProcess({ civil, done, refused }).definition?.steps.civil).toMatchObject({ lateAnswer: 'record' });
    expect(sampleProcess({ civil: { ...civil, lateAnswer: 'apply' }, done, refused }).definition?.steps.civil).toMatchObject({ lateAnswer: 'apply' });
    expect(sampleProcess({ civil: { ...civil, lateAnswer: 'ignore' }, done, refused }).codes).toEqual([diagnostic('schema')]);
  });

  it('refuses a registry it does not know; the SMS gateway is not a registry', () => {
    for (const registry of ['tax-office', 'sms']) {
      expect(sampleProcess({ civil: { ...civil, registry }, done, refused }).codes).toEqual([diagnostic('unknown-registry')]);
    }
  });

  it('refuses an inquiry without a timeout, and a timeout with no late step', () => {
    const { timeout: _timeout, late: _late, ...untimed } = civil;
    expect(sampleProcess({ civil: untimed, done }).codes).toEqual([diagnostic('missing-deadline')]);
    const { late: _noLate, ...unhandled } = civil;
    expect(sampleProcess({ civil: unhandled, done }).codes).toEqual([diagnostic('unhandled-timeout')]);
  });

  it('refuses a subject that does not parse or names a fact the process never has', () => {
    for (const subject of ['applicant.', 'spouse.nationalCode']) {
      expect(sampleProcess({ civil: { ...civil, subject }, done, refused }).codes).toEqual([diagnostic('invalid-expression')]);
    }
  });

  it('refuses a timeout date that is not a Jalali date', () => {
    expect(sampleProcess({ civil: { ...civil, timeout: { date: '1405/13/31' } }, done, refused }).codes).toEqual([diagnostic('invalid-date')]);
  });
});
