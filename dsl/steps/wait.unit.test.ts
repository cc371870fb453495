import { describe, expect, it } from 'vitest';
import { diagnostic, done, sampleProcess } from '../../test/support/step-kinds.js';

const pause = { type: 'wait', delay: { days: 10 }, next: 'done' };

describe('the wait step', () => {
  it('waits for a duration, then leads on by next', () => {
    const sample = sampleProcess({ pause, done });
    expect(sample.codes).toEqual([]);
    expect(sample.edges('pause')).toEqual(['next:done']);
    expect(sample.diagram).toContain('s_pause(["انتظار<br/>wait<br/>۱۰ روز<br/>10 days<br/><small>pause</small>"])');
  });

  it('waits until the date an expression gives, drawn without a duration', () => {
    const sample = sampleProcess({ pause: { type: 'wait', until: 'change.effectiveDate', next: 'done' }, done });
    expect(sample.codes).toEqual([]);
    expect(sample.diagram).toContain('s_pause(["انتظار<br/>wait<br/><small>pause</small>"])');
  });

  it('lets a loop through it pass, where the same loop without a wait is refused', () => {
    const tally = { type: 'set', facts: { rounds: '1' }, next: 'pause' };
    expect(sampleProcess({ pause: { ...pause, next: 'tally' }, tally }).codes).toEqual([]);
    expect(sampleProcess({ pause: { type: 'set', facts: { again: '1' }, next: 'tally' }, tally }).codes).toEqual([diagnostic('cycle-without-wait')]);
  });

  it('refuses a wait with neither a delay nor an until, and one with both', () => {
    expect(sampleProcess({ pause: { type: 'wait', next: 'done' }, done }).codes).toEqual([diagnostic('missing-deadline')]);
    expect(sampleProcess({ pause: { ...pause, until: 'change.effectiveDate' }, done }).codes).toEqual([diagnostic('schema')]);
  });

  it('refuses an until naming a fact the process never has, and a delay that is no duration', () => {
    expect(sampleProcess({ pause: { type: 'wait', until: 'hearing.date', next: 'done' }, done }).codes).toEqual([diagnostic('invalid-expression')]);
    expect(sampleProcess({ pause: { ...pause, delay: { fortnights: 2 } }, done }).codes).toEqual([diagnostic('schema')]);
  });

  it('refuses a wait that leads nowhere', () => {
    expect(sampleProcess({ pause: { type: 'wait', delay: { days: 1 } } }).codes).toEqual([diagnostic('missing-next')]);
  });
});
