/** Runs an `end`: the application ends with the step's outcome and reason. */
import type { StepRunner } from './context.js';

// Not async: the ending resolves as it always has, so replayed histories see the same order.
export const runEnd: StepRunner<'end'> = (_ctx, id, step) => Promise.resolve({ end: { outcome: step.outcome, reason: step.reason, stepId: id } });
