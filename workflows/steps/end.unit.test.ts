import { describe, expect, it } from 'vitest';
import type { StepContext } from './context.js';
import { runEnd } from './end.js';

describe('running an end step', () => {
  it('ends the application with the step\'s outcome and reason, at the step', async () => {
    const step = { type: 'end', outcome: 'rejected', reason: 'AGE_BELOW_MINIMUM' } as const;
    expect(await runEnd({} as StepContext, 'too-young', step)).toEqual({ end: { outcome: 'rejected', reason: 'AGE_BELOW_MINIMUM', stepId: 'too-young' } });
  });
});
