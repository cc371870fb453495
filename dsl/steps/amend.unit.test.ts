import { describe, expect, it } from 'vitest';
import { done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const lifecycle = { kind: 'lifecycle' };

describe('the amend step', () => {
  it('works on the licence of a lifecycle process, and leads to onRefused when its state changed', () => {
    const sample = sampleProcess({ suspend: { type: 'amend', action: 'suspend', dependents: 'suspend', next: 'done', onRefused: 'refused' }, done, refused }, lifecycle);
    expect(sample.codes).toEqual([]);
    expect(sample.edges('suspend')).toEqual(['next:done', 'fail:refused']);
    expect(sample.diagram).toContain('s_suspend[["تغییر پروانه<br/>licence change<br/>suspend · وابسته‌ها<br/>dependents: suspend<br/><small>suspend</small>"]]');
  });

  it('refuses an application process, which has no licence to change', () => {
    expect(sampleProcess({ suspend: { type: 'amend', action: 'suspend', next: 'done' }, done }).codes).toEqual([expect.stringMatching(/^needs-licence@/)]);
  });

  it('refuses a renewal without a validity and a holder on anything but a transfer', () => {
    const { codes } = sampleProcess({ renew: { type: 'amend', action: 'renew', holder: 'change.successor', next: 'done' }, done }, lifecycle);
    expect(codes).toEqual(expect.arrayContaining([expect.stringMatching(/^missing-validity@/), expect.stringMatching(/^misplaced-holder@/)]));
  });
});
