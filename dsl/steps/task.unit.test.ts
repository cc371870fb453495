import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

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

  describe('fields an outcome records', () => {
    const visited = {
      title: { fa: 'بازدید شد', en: 'visited' }, next: 'done',
      fields: {
        area: { type: 'integer', min: 0, title: { fa: 'مساحت', en: 'area' } },
        equipment: { type: 'choice', many: true, values: ['computer', 'cctv'] },
        socialWorkers: { type: 'list', of: { field: { type: 'choice', values: ['social-work', 'other'] }, level: { type: 'choice', values: ['bachelor', 'master'] } } },
      },
    };
    const visit = { type: 'task', role: 'county-office', due: { months: 12 }, saveAs: 'visit', outcomes: { visited, ...outcomes }, late: 'refused' };

    it('declares them with the fields a change request has, a choice of many and a list of records', () => {
      const sample = sampleProcess({ visit, done, refused });
      expect(sample.codes).toEqual([]);
      expect(sample.definition!.steps.visit).toMatchObject({ outcomes: { visited: { fields: { area: { type: 'integer', optional: false }, socialWorkers: { type: 'list' } } } } });
    });

    it('leaves an outcome without fields as it was, so a file without them keeps its hash', () => {
      const plain = sampleProcess({ review: { type: 'task', role: 'county-office', due: { days: 3 }, outcomes, late: 'refused' }, done, refused });
      expect(Object.keys((plain.definition!.steps.review as { outcomes: Record<string, object> }).outcomes.approve!)).toEqual(['title', 'next', 'requiresReason']);
    });

    it('refuses fields no step could read (the task saves nothing), an unknown field type and a list of lists', () => {
      const { saveAs: _saved, ...unsaved } = visit;
      expect(sampleProcess({ visit: unsaved, done, refused }).codes).toEqual([diagnostic('unsaved-fields')]);
      const typo = { ...visited, fields: { area: { type: 'decimal' } } };
      expect(sampleProcess({ visit: { ...visit, outcomes: { visited: typo } }, done, refused }).codes).toEqual([diagnostic('schema')]);
      const nested = { ...visited, fields: { rooms: { type: 'list', of: { beds: { type: 'list', of: {} } } } } };
      expect(sampleProcess({ visit: { ...visit, outcomes: { visited: nested } }, done, refused }).codes).toEqual([diagnostic('schema')]);
    });
  });
});
