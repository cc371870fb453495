import { describe, expect, it } from 'vitest';
import { requiredDocumentTypes } from '../documents.js';
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

  it('takes grounds of priority, each a condition and what it is called, and refuses a condition that is not CEL', () => {
    const priority = [{ when: 'applicant.age > 60', because: { fa: 'سالمند', en: 'elderly' } }];
    const review = { type: 'task', role: 'county-office', due: { workingDays: 5 }, outcomes, late: 'refused' };
    expect(sampleProcess({ review: { ...review, priority }, done, refused }).codes).toEqual([]);
    expect(sampleProcess({ review: { ...review, priority: [{ when: 'applicant.age >', because: priority[0]!.because }] }, done, refused }).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ review: { ...review, priority: [] }, done, refused }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ review: { ...review, priority: [{ when: 'true' }] }, done, refused }).codes).toEqual([diagnostic('missing-field')]);
  });

  it('refuses a task without a due date', () => {
    expect(sampleProcess({ review: { type: 'task', role: 'county-office', outcomes }, done, refused }).codes).toEqual([expect.stringMatching(/^missing-deadline@/)]);
  });

  it('lets an outcome require documents, some only when an expression over the submitted facts holds', () => {
    const documents = ['birth-certificate', { type: 'military-service-card', when: 'applicant.sex == "male"' }];
    const withDocuments = { ...outcomes, approve: { ...outcomes.approve, documents } };
    const sample = sampleProcess({ review: { type: 'task', role: 'county-office', due: { workingDays: 5 }, outcomes: withDocuments, late: 'refused' }, done, refused });
    expect(sample.codes).toEqual([]);
    const required = sample.definition!.steps.review!.type === 'task' ? sample.definition!.steps.review!.outcomes.approve!.documents! : [];
    expect(requiredDocumentTypes(required, { applicant: { sex: 'male' } })).toEqual(['birth-certificate', 'military-service-card']);
    expect(requiredDocumentTypes(required, { applicant: { sex: 'female' } })).toEqual(['birth-certificate']);
    // A request without the fact the condition reads: the document is required, never silently not.
    expect(requiredDocumentTypes(required, { applicant: {} })).toEqual(['birth-certificate', 'military-service-card']);
  });

  it('refuses a required document of an unknown type, "other", and a condition that names a fact no request carries', () => {
    const bad = (documents: unknown[]) => sampleProcess({ review: { type: 'task', role: 'county-office', due: { workingDays: 5 }, outcomes: { ...outcomes, approve: { ...outcomes.approve, documents } }, late: 'refused' }, done, refused }).codes;
    expect(bad(['passport'])).toEqual([diagnostic('schema')]);
    expect(bad(['other'])).toEqual([diagnostic('schema')]);
    expect(bad([{ type: 'degree', when: 'civil.sex == "male"' }])).toEqual([diagnostic('invalid-expression')]);
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
