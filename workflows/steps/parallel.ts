/** Runs a `parallel`: every branch at once; the first that ends the application cancels the rest. */
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { Ending, StepRunner } from './context.js';

export const runParallel: StepRunner<'parallel'> = async (ctx, _id, step) => {
  let ended: Ending | undefined;
  const scope = new CancellationScope();
  await scope.run(() => Promise.all(step.branches.map(async (branch) => {
    try {
      const end = await ctx.runFrom(branch, false);
      if (end && !ended) {
        ended = end;
        scope.cancel();
      }
    } catch (error) {
      if (!(ended && isCancellation(error))) throw error;
    }
  })));
  return ended ? { end: ended } : { next: step.next };
};
