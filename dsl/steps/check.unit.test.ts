import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const rules = [{ expr: 'applicant.age >= 18', reason: 'UNDER_AGE', message: { fa: 'سن کم', en: 'under age' } }];

describe('the check step', () => {
  it('leads on by next, and to otherwise when a rule fails', () => {
    const sample = sampleProcess({ eligible: { type: 'check', rules, next: 'done', otherwise: 'refused' }, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('eligible')).toEqual(['next:done', 'otherwise:refused']);
  });

  it('is drawn as a decision naming its reasons', () => {
    const { diagram } = sampleProcess({ eligible: { type: 'check', rules, next: 'done', otherwise: 'refused' }, done, refused });
    expect(diagram).toContain('s_eligible{"بررسی شرایط<br/>check<br/>UNDER_AGE<br/><small>eligible</small>"}');
    expect(diagram).toContain('s_eligible -->|"رد شرط<br/>rule failed"|');
  });

  it('takes a claim of up to a limit of places per holder (2 or more: one is a plain claim), and refuses a limit that is not a whole number', () => {
    const claim = (limit: unknown) => ({ claim: 'sample-permit', holder: 'application.legalPerson.nationalId', limit, reason: 'TOO_MANY', message: { fa: 'بیش از حد', en: 'too many' } });
    const codes = (limit: unknown) => sampleProcess({ eligible: { type: 'check', rules: [claim(limit)], next: 'done', otherwise: 'refused' }, done, refused }).codes;
    expect(codes(3)).toEqual([]);
    expect(codes(1)).toEqual([diagnostic('schema')]);
    expect(codes(2.5)).toEqual([diagnostic('schema')]);
    expect(codes('3')).toEqual([diagnostic('schema')]);
  });

  it('refuses a rule that does not parse, and a check that leads nowhere', () => {
    const broken = [{ ...rules[0], expr: 'applicant.age >=' }];
    expect(sampleProcess({ eligible: { type: 'check', rules: broken } }).codes)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^missing-next@/), expect.stringMatching(/^invalid-expression@/)]));
  });
});
