/** Runs a `subprocess`: resolves the child's definition, starts it, and awaits it unless detached. */
import { proxyActivities } from '@temporalio/workflow';
import type { DefinitionActivities } from '../../activities/definitions.js';
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { isoAt, now } from '../clock.js';
import type { StepRunner } from './context.js';

const definitions = proxyActivities<DefinitionActivities>({ startToCloseTimeout: '30s' });

export const runSubprocess: StepRunner<'subprocess'> = async (ctx, id, step) => {
  const { definition, hash } = await definitions.resolveDefinition(step.process, isoAt(now()));
  const facts = factsAt(ctx.state.facts, now());
  const input = Object.fromEntries(Object.entries(step.input).map(([name, expr]) => [name, evaluate(expr, facts)]));
  const applicant = step.applicant ? evaluate(step.applicant, facts) : undefined;
  const result = await ctx.hooks.startChild(id, definition, hash, input, { applicant, detach: step.detach });
  if (!result) return { next: step.next };
  if (step.saveAs) ctx.state.facts[step.saveAs] = result;
  if (result.outcome === 'approved') return { next: step.next };
  if (step.onFail) return { next: step.onFail };
  return { end: { outcome: result.outcome, reason: result.reason, stepId: id } };
};
