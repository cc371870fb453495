import { describe, expect, it } from 'vitest';
import { diagnostic, done, refused, sampleProcess } from '../../test/support/step-kinds.js';

/** `child` is the one other process a sample knows. */
const manager = { type: 'subprocess', process: 'child', input: { centre: 'applicant' }, saveAs: 'managerLicence', next: 'done', otherwise: 'refused' };

describe('the subprocess step', () => {
  it('awaits another process: leads on by next when it is approved, to otherwise when it is not', () => {
    const sample = sampleProcess({ manager, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('manager')).toEqual(['next:done', 'otherwise:refused']);
  });

  it('is drawn as a register entry naming the process, its unhappy edge labelled', () => {
    const { diagram } = sampleProcess({ manager, done, refused });
    expect(diagram).toContain('s_manager[["فرایند فرعی<br/>subprocess<br/>child<br/><small>manager</small>"]]');
    expect(diagram).toContain('s_manager -->|"ناموفق<br/>not approved"| s_refused');
  });

  it('without otherwise has next alone: the application then ends as the child did', () => {
    const { otherwise: _otherwise, ...strict } = manager;
    const sample = sampleProcess({ manager: strict, done });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('manager')).toEqual(['next:done']);
  });

  it('hands the child its facts, an applicant, and a change as the API would name it', () => {
    const change = { type: 'renewal', requestedBy: 'county-office', input: { effectiveDate: 'today' } };
    const sample = sampleProcess({ manager: { ...manager, applicant: 'applicant', change }, done, refused });
    expect(sample.codes).toEqual([]);
    expect(sample.definition?.steps.manager).toMatchObject({ input: { centre: 'applicant' }, applicant: 'applicant', change });
  });

  it('refuses a process it does not know', () => {
    expect(sampleProcess({ manager: { ...manager, process: 'stranger' }, done, refused }).codes).toEqual([diagnostic('unknown-process')]);
  });

  it('refuses an input, an applicant or a change input that names a fact the process never has', () => {
    for (const wrong of [{ input: { centre: 'centre.number' } }, { applicant: 'spouse' }, { change: { type: 'renewal', input: { on: 'hearing.date' } } }]) {
      expect(sampleProcess({ manager: { ...manager, ...wrong }, done, refused }).codes, JSON.stringify(wrong)).toEqual([diagnostic('invalid-expression')]);
    }
  });

  it('refuses a change named twice, in input and as change, and a change type that is not kebab-case', () => {
    expect(sampleProcess({ manager: { ...manager, input: { change: 'licence' }, change: { type: 'renewal' } }, done, refused }).codes)
      .toEqual([diagnostic('duplicate-input')]);
    expect(sampleProcess({ manager: { ...manager, change: { type: 'Renewal' } }, done, refused }).codes).toEqual([diagnostic('schema')]);
  });
});
