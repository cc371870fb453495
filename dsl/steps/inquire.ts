/**
 * `inquire`: asks a registry about a person and saves the answer, or goes to `late`. A registry
 * that is down is asked again with backoff (5 s doubling to an hour) until the timeout: the
 * retry policy is the product's, not the process file's.
 */
import { z } from 'zod';
import { durationToText } from '../calendar.js';
import { Deadline, Expression, FactName, Late, Registries, StepId, Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const InquireStep = z.object({
  type: z.literal('inquire'), ...stepBase,
  registry: z.string(),
  /** CEL expression giving the national code asked about. */
  subject: Expression,
  /** Why we ask: recorded with the inquiry for audit. */
  purpose: Text.optional(),
  timeout: Deadline.optional(),
  /** The fact the answer is saved under. */
  saveAs: FactName,
  /** An answer after the timeout: `record` keeps it for audit only, `apply` also updates the fact. */
  lateAnswer: z.enum(['record', 'apply']).default('record'),
  next: StepId.optional(),
  /** Where an inquiry unanswered by its timeout leads. */
  late: Late,
}).strict();

export const inquire = defineStepKind({
  schema: InquireStep,
  leadsOn: true,
  deadlines: (step) => [[['timeout'], step.timeout]],
  validate(step, v) {
    if (!(Registries as readonly string[]).includes(step.registry)) {
      v.report(v.at('registry'), 'unknown-registry', `step "${v.id}" asks unknown registry "${step.registry}"; known: ${Registries.join(', ')}`);
    }
    v.expression(step.subject, v.at('subject'));
    if (!step.timeout) v.report(v.at(), 'missing-deadline', `inquiry "${v.id}" has no timeout`, true);
    else if (!step.late) v.report(v.at('timeout'), 'unhandled-timeout', `inquiry "${v.id}" has a timeout but no late step`);
  },
  edges(step, add) {
    add(step.late, ['late'], 'late', { fa: 'پایان مهلت', en: 'timed out' });
  },
  diagram: {
    label: { fa: 'استعلام', en: 'inquiry' },
    shape: 'exchange',
    detail: (step) => [step.registry, ...(step.timeout ? [' · ', durationToText(step.timeout)] : [])],
  },
});
