import { describe, expect, it } from 'vitest';
import { done, refused, sampleProcess } from '../../test/support/step-kinds.js';

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

  it('refuses a rule that does not parse, and a check that leads nowhere', () => {
    const broken = [{ ...rules[0], expr: 'applicant.age >=' }];
    expect(sampleProcess({ eligible: { type: 'check', rules: broken } }).codes)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^missing-next@/), expect.stringMatching(/^invalid-expression@/)]));
  });
});
