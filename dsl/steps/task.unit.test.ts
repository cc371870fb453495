import { describe, expect, it } from 'vitest';
import { done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const outcomes = {
  approve: { title: { fa: 'تأیید', en: 'approve' }, next: 'done' },
  reject: { title: { fa: 'رد', en: 'reject' }, next: 'refused', requiresReason: true },
};

describe('the task step', () => {
  it('leads to each outcome, and to late when every deadline passes', () => {
    const sample = sampleProcess({ review: { type: 'task', role: 'county-office', due: { workingDays: 5 }, outcomes, late: 'refused' }, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('review')).toEqual(['outcome:done', 'outcome:refused', 'late:refused']);
    expect(sample.diagram).toContain('s_review["تصمیم کارشناس<br/>decision<br/>county-office · ');
    expect(sample.diagram).toContain('class s_review task;');
  });

  it('refuses a role that decides no tasks and a due date with no onOverdue', () => {
    const { codes } = sampleProcess({ review: { type: 'task', role: 'portal', due: { days: 3 }, outcomes }, done, refused });
    expect(codes).toEqual([expect.stringMatching(/^unknown-role@/), expect.stringMatching(/^unhandled-overdue@/)]);
  });

  it('refuses a task without a due date', () => {
    expect(sampleProcess({ review: { type: 'task', role: 'county-office', outcomes }, done, refused }).codes).toEqual([expect.stringMatching(/^missing-deadline@/)]);
  });
});
