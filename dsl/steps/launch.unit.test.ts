import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

/** A reminder that starts a renewal of `child`, the one other process a sample knows. */
const renew = { type: 'launch', process: 'child', change: { type: 'renewal', requestedBy: 'county-office' }, next: 'done' };

describe('the launch step', () => {
  it('starts another process and leads on at once by next', () => {
    const sample = sampleProcess({ renew, done });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('renew')).toEqual(['next:done']);
  });

  it('is drawn as a register entry naming the process, marked detached', () => {
    expect(sampleProcess({ renew, done }).diagram)
      .toContain('s_renew[["آغاز فرایند دیگر<br/>launch a process<br/>child · جداگانه<br/>detached<br/><small>renew</small>"]]');
  });

  it('awaits no outcome, so takes no otherwise and saves no result', () => {
    expect(sampleProcess({ renew: { ...renew, otherwise: 'done' }, done }).codes).toEqual([diagnostic('unknown-field')]);
    expect(sampleProcess({ renew: { ...renew, saveAs: 'renewal' }, done }).codes).toEqual([diagnostic('unknown-field')]);
  });

  it('refuses a process it does not know', () => {
    expect(sampleProcess({ renew: { ...renew, process: 'stranger' }, done }).codes).toEqual([diagnostic('unknown-process')]);
  });

  it('refuses a change input that does not parse, and a change named twice', () => {
    expect(sampleProcess({ renew: { ...renew, change: { type: 'renewal', input: { on: 'today +' } } }, done }).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ renew: { ...renew, input: { change: 'licence' } }, done }).codes).toEqual([diagnostic('duplicate-input')]);
  });
});
