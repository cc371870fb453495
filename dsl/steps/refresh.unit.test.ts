import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const reread = { type: 'refresh', next: 'done' };

describe('the refresh step', () => {
  it('reads the licence again in a lifecycle or a standing process, and leads on by next', () => {
    for (const kind of ['lifecycle', 'standing']) {
      const sample = sampleProcess({ reread, done }, { kind });
      expect(sample.codes, kind).toEqual([]);
      expect(sample.edges('reread')).toEqual(['next:done']);
    }
  });

  it('is drawn as an exchange with the register', () => {
    expect(sampleProcess({ reread, done }, { kind: 'lifecycle' }).diagram)
      .toContain('s_reread[/"خواندن دوباره پروانه<br/>re-read the licence<br/><small>reread</small>"/]');
  });

  it('refuses an application process, which has no licence to read', () => {
    expect(sampleProcess({ reread, done }).codes).toEqual([diagnostic('needs-licence')]);
  });

  it('takes nothing but where to go next', () => {
    expect(sampleProcess({ reread: { ...reread, fact: 'licence' }, done }, { kind: 'lifecycle' }).codes).toEqual([diagnostic('unknown-field')]);
    expect(sampleProcess({ reread: { type: 'refresh' } }, { kind: 'lifecycle' }).codes).toEqual([diagnostic('missing-next')]);
  });

  it('reads another licence, named by an expression, into saveAs, in any process; saveAs goes with licence', () => {
    const agreement = { type: 'refresh', licence: 'application.id', saveAs: 'agreement', next: 'done' };
    expect(sampleProcess({ agreement, done }).codes).toEqual([]);
    expect(sampleProcess({ agreement: { ...agreement, saveAs: undefined }, done }).codes).toEqual([diagnostic('missing-field')]);
    expect(sampleProcess({ agreement: { ...agreement, licence: 'nothing.here' }, done }).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ reread: { ...reread, saveAs: 'agreement' }, done }, { kind: 'lifecycle' }).codes).toEqual([diagnostic('schema')]);
  });
});
