/**
 * `launch`: starts another process and goes on at once. The launched process runs on by itself,
 * even after this one ends, and its outcome is never awaited: a reminder that starts a renewal.
 */
import { z } from 'zod';
import { Expression, FactName, StepId, stepBase } from '../primitives.js';
import { defineStepKind, type StepCheck } from './kind.js';

const literal = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case word');

/** What a child process is given: which process, its facts, its applicant, and a change's request. */
export const ChildInput = {
  process: z.string(),
  /** Facts handed to the child: name → CEL expression over this application's facts. */
  input: z.record(FactName, Expression).default({}),
  /** CEL giving the child's applicant (a person: nationalCode, names…); absent: this application's. */
  applicant: Expression.optional(),
  /**
   * For a lifecycle process: the change it is asked to make, as the API's request would name it
   * (`type: renewal`, `requestedBy: county-office`), with the change's own `input` (name → CEL);
   * handed to it as `change`, with `receivedOn` today.
   */
  change: z.object({
    type: literal,
    requestedBy: literal.optional(),
    input: z.record(FactName, Expression).default({}),
  }).strict().optional(),
};

/** The checks a subprocess and a launch share: the process exists, the expressions parse. */
export function checkChild(step: { process: string; input: Record<string, string>; applicant?: string; change?: { input: Record<string, string> } }, v: StepCheck) {
  if (v.knownProcesses && !v.knownProcesses.has(step.process)) {
    v.report(v.at('process'), 'unknown-process', `step "${v.id}" starts unknown process "${step.process}"`);
  }
  for (const [name, expr] of Object.entries(step.input)) v.expression(expr, v.at('input', name));
  if (step.applicant) v.expression(step.applicant, v.at('applicant'));
  for (const [name, expr] of Object.entries(step.change?.input ?? {})) v.expression(expr, v.at('change', 'input', name));
  if (step.change && 'change' in step.input) v.report(v.at('change'), 'duplicate-input', `step "${v.id}" names the change twice: in input and as change`);
}

export const LaunchStep = z.object({
  type: z.literal('launch'), ...stepBase,
  ...ChildInput,
  next: StepId.optional(),
}).strict();

export const launch = defineStepKind({
  schema: LaunchStep,
  leadsOn: true,
  validate: (step, v) => checkChild(step, v),
  diagram: {
    label: { fa: 'آغاز فرایند دیگر', en: 'launch a process' },
    shape: 'register',
    detail: (step) => [step.process, ' · ', { fa: 'جداگانه', en: 'detached' }],
  },
});
