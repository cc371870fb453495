import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const text = (en: string) => ({ fa: en, en });
/** The smallest competitive call: one university, no interviews. */
const call = {
  registration: { opens: '1405/09/01', closes: '1405/11/25' },
  documents: [{ id: 'degree', title: text('degree') }],
  lateDocuments: { after: { workingHours: 72 } },
  universities: { arak: { title: text('Arak'), counties: ['arak'], capacity: 2 } },
  exam: { maxScore: 100, passMark: 50, resultsDue: { days: 45 } },
  score: 'exam.percent',
  tieBreakers: [{ key: 'application.trackingCode', order: 'asc' }],
  reserves: { within: { months: 2 } },
};
const noInterview = { kind: 'call', call };
const withInterview = { kind: 'call', call: { ...call, interview: { multiple: 3, within: { workingDays: 15 } } } };
const ranked = { type: 'cohort', stage: 'final', saveAs: 'standing', next: 'done', otherwise: 'refused' };
const shortlist = { ...ranked, stage: 'shortlist', next: 'ranked' };

describe('the cohort step', () => {
  it('waits for the call to rank its applicants, then leads on by next, or to otherwise when not admitted', () => {
    const sample = sampleProcess({ ranked, done, refused }, noInterview);
    expect(sample.codes).toEqual([]);
    expect(sample.edges('ranked')).toEqual(['next:done', 'otherwise:refused']);
    expect(sample.diagram).toContain('s_ranked -->|"پذیرفته نشد<br/>not admitted"| s_refused');
  });

  it('is drawn as a cohort naming the ranking it waits for', () => {
    const { diagram } = sampleProcess({ shortlist, ranked, done, refused }, withInterview);
    expect(diagram).toContain('s_shortlist{{"رتبه‌بندی فراخوان<br/>call ranking<br/>فهرست مصاحبه<br/>interview shortlist<br/><small>shortlist</small>"}}');
    expect(diagram).toContain('s_ranked{{"رتبه‌بندی فراخوان<br/>call ranking<br/>رتبه‌بندی نهایی<br/>final ranking<br/><small>ranked</small>"}}');
  });

  it('refuses a cohort outside a competitive call', () => {
    expect(sampleProcess({ ranked, done, refused }).codes).toEqual([diagnostic('cohort-outside-call')]);
  });

  it('refuses two steps waiting for the same ranking, and a stage it does not know', () => {
    expect(sampleProcess({ ranked: { ...ranked, next: 'again' }, again: ranked, done, refused }, noInterview).codes).toEqual([diagnostic('duplicate-cohort-stage')]);
    expect(sampleProcess({ ranked: { ...ranked, stage: 'exam' }, done, refused }, noInterview).codes).toEqual([diagnostic('schema')]);
  });

  it('needs the final ranking, and a shortlist exactly when the call interviews', () => {
    expect(sampleProcess({ shortlist: { ...shortlist, next: 'done' }, done, refused }, withInterview).codes).toEqual([diagnostic('missing-cohort-stage')]);
    expect(sampleProcess({ ranked, done, refused }, withInterview).codes).toEqual([diagnostic('missing-cohort-stage')]);
    expect(sampleProcess({ shortlist, ranked, done, refused }, noInterview).codes).toEqual([diagnostic('missing-cohort-stage')]);
  });
});
