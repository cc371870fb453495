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
  });

  it('refuses a required document of an unknown type, "other", and a condition that names a fact no request carries', () => {
    const bad = (documents: unknown[]) => sampleProcess({ review: { type: 'task', role: 'county-office', due: { workingDays: 5 }, outcomes: { ...outcomes, approve: { ...outcomes.approve, documents } }, late: 'refused' }, done, refused }).codes;
    expect(bad(['passport'])).toEqual([diagnostic('schema')]);
    expect(bad(['other'])).toEqual([diagnostic('schema')]);
    expect(bad([{ type: 'degree', when: 'civil.sex == "male"' }])).toEqual([diagnostic('invalid-expression')]);
  });
});
