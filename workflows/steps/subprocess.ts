/** Runs a `subprocess`: resolves the child's definition, runs it, and goes on by its outcome. */
import type { StepRunner } from './context.js';
import { startChildOf } from './launch.js';

export const runSubprocess: StepRunner<'subprocess'> = async (ctx, id, step) => {
  const result = await startChildOf(ctx, id, step, false);
  if (!result) return { next: step.next };
  if (step.saveAs) ctx.state.facts[step.saveAs] = result;
  if (result.outcome === 'approved') return { next: step.next };
  // A child that failed (a fault of its process file) refused nothing: this application fails with it.
  if (result.outcome === 'failed') return { end: { outcome: 'failed', reason: result.reason, stepId: id } };
  if (step.otherwise) return { next: step.otherwise };
  return { end: { outcome: result.outcome, reason: result.reason, stepId: id } };
};
