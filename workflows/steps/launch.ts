/** Runs a `launch`: starts another process, which runs on by itself, and goes on at once. */
import { proxyActivities } from '@temporalio/workflow';
import type { DefinitionActivities } from '../../activities/definitions.js';
import { factsAt, tehranDay } from '../../dsl/facts.js';
import type { StepOf } from './context.js';
import { isoAt, now } from '../clock.js';
import type { StepContext, StepRunner } from './context.js';
import { valueOf } from './evaluation.js';

const definitions = proxyActivities<DefinitionActivities>({ startToCloseTimeout: '30s' });

/** Resolves a child's definition (the version in effect now), gives it its facts, and starts it. */
export async function startChildOf(ctx: StepContext, id: string, step: StepOf<'subprocess' | 'launch'>, detach: boolean) {
  const { definition, hash } = await definitions.resolveDefinition(step.process, isoAt(now()));
  const facts = factsAt(ctx.state.facts, now(), ctx.reckoning);
  const input = Object.fromEntries(Object.entries(step.input).map(([name, expr]) => [name, valueOf(facts, id, `input.${name}`, expr)]));
  if (step.change) {
    const { type, requestedBy, input: fields } = step.change;
    const values = Object.fromEntries(Object.entries(fields).map(([name, expr]) => [name, valueOf(facts, id, `change.input.${name}`, expr)]));
    // Received on the day in Tehran, as a change requested through the API is.
    input.change = { type, ...(requestedBy ? { requestedBy } : {}), ...values, receivedOn: tehranDay(now()) };
  }
  const applicant = step.applicant ? valueOf(facts, id, 'applicant', step.applicant) : undefined;
  return ctx.hooks.startChild(id, definition, hash, input, { applicant, detach });
}

export const runLaunch: StepRunner<'launch'> = async (ctx, id, step) => {
  await startChildOf(ctx, id, step, true);
  return { next: step.next };
};
