/**
 * Runs a `refresh`: replaces the `licence` fact with the register's current view of the licence.
 * The same read follows every wait and task of a standing process (`afterWaiting`).
 */
import { patched } from '@temporalio/workflow';
import { factsAt } from '../../dsl/facts.js';
import { now } from '../clock.js';
import { licenceNumberOf, type StepContext, type StepRunner } from './context.js';
import { valueOf } from './evaluation.js';

export const runRefresh: StepRunner<'refresh'> = async (ctx, id, step) => {
  if (step.licence !== undefined && step.saveAs) {
    // Another licence, named by an expression: its register view (not its holder's person) into saveAs.
    const number = String(valueOf(factsAt(ctx.state.facts, now(), ctx.reckoning), id, 'licence', step.licence));
    const { holder: _holder, ...view } = await ctx.db.readLicence(number, ctx.event('licence-read', id, { number }));
    ctx.state.facts[step.saveAs] = view;
    return { next: step.next };
  }
  await readLicenceAgain(ctx, id, licenceNumberOf(ctx, id));
  return { next: step.next };
};

/** Reads the licence again from the register, so what follows sees changes made meanwhile. */
export async function readLicenceAgain(ctx: StepContext, id: string, number: string): Promise<void> {
  const previous = ctx.state.facts.licence as Record<string, unknown>;
  const { holder, ...current } = await ctx.db.readLicence(number, ctx.event('licence-read', id, { number }));
  ctx.state.facts.licence = { ...previous, ...current };
  // The licence may have passed to a successor meanwhile: the process now speaks to them.
  if (holder) ctx.state.facts.applicant = holder;
}

/** Histories recorded before waits and tasks read the licence (a `refresh` step did) replay without it. */
export const READ_AFTER_WAITING = 'licence-read-after-waiting';

/**
 * After a wait or a task of a standing process (one that stands beside a licence for its whole
 * term): the licence is read again, so the steps after it see a renewal, suspension, revocation
 * or transfer made meanwhile. A lifecycle process is one change, short, and its `amend` checks
 * the licence's state itself.
 */
export async function afterWaiting(ctx: StepContext, id: string): Promise<void> {
  if (ctx.definition.kind !== 'standing') return;
  const number = (ctx.state.facts.licence as { number?: string } | undefined)?.number;
  if (number && patched(READ_AFTER_WAITING)) await readLicenceAgain(ctx, id, number);
}
