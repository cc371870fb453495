import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const withdrawn = { type: 'end', outcome: 'withdrawn', reason: 'WITHDRAWN_BY_APPLICANT' };

describe('the end step', () => {
  it('ends the application with its outcome and reason, leading nowhere', () => {
    const sample = sampleProcess({ stop: withdrawn });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('stop')).toEqual([]);
  });

  it('is drawn as a finish naming its outcome and reason', () => {
    const { diagram } = sampleProcess({ stop: withdrawn });
    expect(diagram).toContain('s_stop(("پایان<br/>end<br/>انصراف<br/>withdrawn · WITHDRAWN_BY_APPLICANT<br/><small>stop</small>"))');
    expect(diagram).toContain('class s_stop finish;');
  });

  it('takes no next', () => {
    expect(sampleProcess({ stop: { ...withdrawn, next: 'done' }, done }).codes).toEqual([diagnostic('unknown-field')]);
  });

  it('refuses an outcome other than approved, rejected or withdrawn, and a reason that is missing or not UPPER_SNAKE_CASE', () => {
    expect(sampleProcess({ stop: { ...withdrawn, outcome: 'cancelled' } }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ stop: { ...withdrawn, reason: 'withdrawn' } }).codes).toEqual([diagnostic('schema')]);
    expect(sampleProcess({ stop: { type: 'end', outcome: 'approved' } }).codes).toEqual([diagnostic('missing-field')]);
  });
});
