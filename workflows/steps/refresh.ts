/** Runs a `refresh`: replaces the `licence` fact with the register's current view of the licence. */
import { db } from '../activity-options.js';
import { licenceNumberOf, type StepContext, type StepRunner } from './context.js';

export const runRefresh: StepRunner<'refresh'> = async (ctx, id, step) => {
  await readLicenceAgain(ctx, id, licenceNumberOf(ctx, id));
  return { next: step.next };
};

/** Reads the licence again from the register, so what follows sees changes made meanwhile. */
export async function readLicenceAgain(ctx: StepContext, id: string, number: string): Promise<void> {
  const previous = ctx.state.facts.licence as Record<string, unknown>;
  const { holder, ...current } = await db.readLicence(number, ctx.event('licence-read', id, { number }));
  ctx.state.facts.licence = { ...previous, ...current };
  // The licence may have passed to a successor meanwhile: the process now speaks to them.
  if (holder) ctx.state.facts.applicant = holder;
}
