import { describe, expect, it } from 'vitest';
import { done, refused, sampleProcess } from '../../test/support/step-kinds.js';

const lifecycle = { kind: 'lifecycle' };

describe('the amend step', () => {
  it('works on the licence of a lifecycle process, and leads to otherwise when its state changed', () => {
    const sample = sampleProcess({ suspend: { type: 'amend', action: 'suspend', dependents: 'suspend', next: 'done', otherwise: 'refused' }, done, refused }, lifecycle);
    expect(sample.codes).toEqual([]);
    expect(sample.edges('suspend')).toEqual(['next:done', 'otherwise:refused']);
    expect(sample.diagram).toContain('s_suspend[["تغییر پروانه<br/>licence change<br/>suspend · وابسته‌ها<br/>dependents: suspend<br/><small>suspend</small>"]]');
  });

  it('refuses an application process, which has no licence to change', () => {
    expect(sampleProcess({ suspend: { type: 'amend', action: 'suspend', next: 'done' }, done }).codes).toEqual([expect.stringMatching(/^needs-licence@/)]);
  });

  it('has a shape per action: a renewal names its validity, and only a transfer names a holder', () => {
    const { codes } = sampleProcess({ renew: { type: 'amend', action: 'renew', holder: 'change.successor', next: 'done' }, done }, lifecycle);
    expect(codes).toEqual(expect.arrayContaining([expect.stringMatching(/^missing-field@/), expect.stringMatching(/^unknown-field@/)]));
    const transfer = sampleProcess({ pass: { type: 'amend', action: 'transfer', validity: { months: 12 }, next: 'done' }, done }, lifecycle);
    expect(transfer.codes).toEqual(expect.arrayContaining([expect.stringMatching(/^missing-field@/), expect.stringMatching(/^unknown-field@/)]));
  });

  it('lets a transfer end the dependents its previous holder held (close or revoke), and nothing else', () => {
    const personal = sampleProcess({ pass: { type: 'amend', action: 'transfer', holder: 'change.successor', dependents: 'close', next: 'done' }, done }, lifecycle);
    expect(personal.codes).toEqual([]);
    expect(personal.diagram).toContain('transfer · وابسته‌ها<br/>dependents: close');
    const suspended = sampleProcess({ pass: { type: 'amend', action: 'transfer', holder: 'change.successor', dependents: 'suspend', next: 'done' }, done }, lifecycle);
    expect(suspended.codes).toEqual([expect.stringMatching(/^schema@/)]);
  });

  it('refuses an action it does not know, naming the field', () => {
    const { codes } = sampleProcess({ renew: { type: 'amend', action: 'extend', next: 'done' }, done }, lifecycle);
    expect(codes).toEqual([expect.stringMatching(/^schema@/)]);
  });
});
