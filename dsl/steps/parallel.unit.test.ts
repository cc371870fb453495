import { describe, expect, it } from 'vitest';
import { done, sampleProcess } from '../../test/support/step-kinds.js';

const note = (event: string) => ({ type: 'notify', channel: 'portal', event });

describe('the parallel step', () => {
  const steps = { both: { type: 'parallel', branches: ['left', 'right'], next: 'done' }, left: note('left'), right: note('right'), done };

  it('starts each branch, and a branch may end without next', () => {
    const sample = sampleProcess(steps);
    expect(sample.codes).toEqual([]);
    expect(sample.edges('both')).toEqual(['next:done', 'branch:left', 'branch:right']);
  });

  it('draws the branches meeting at a join that leads on', () => {
    const { diagram } = sampleProcess(steps);
    expect(diagram).toContain('s_both --> s_left');
    expect(diagram).toContain('s_left --> s_both_join');
    expect(diagram).toContain('s_both_join --> s_done');
  });

  it('refuses a step outside any branch that leads nowhere', () => {
    expect(sampleProcess({ ...steps, both: { ...steps.both, next: 'stray' }, stray: note('stray') }).codes)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^missing-next@/)]));
  });
});
