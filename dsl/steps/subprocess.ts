/** `subprocess`: another process as a step, awaited, or detached to run on by itself. */
import { z } from 'zod';
import { Expression, FactName, StepId, stepBase } from '../primitives.js';
import { escape, label } from './draw.js';
import { defineStepKind } from './kind.js';

export const SubprocessStep = z.object({
  type: z.literal('subprocess'), ...stepBase,
  process: z.string(),
  /** Facts handed to the child: name → CEL expression over this application's facts. */
  input: z.record(FactName, Expression).default({}),
  /** CEL giving the child's applicant (a person: nationalCode, names…); absent: this application's. */
  applicant: Expression.optional(),
  /**
   * `true`: start the child and go on at once; it runs on by itself (even after this process ends)
   * and its outcome is not awaited, so `saveAs` and `onFail` are not allowed.
   */
  detach: z.boolean().default(false),
  saveAs: FactName.optional(),
  next: StepId.optional(),
  /** Where a child that ends rejected or withdrawn leads; absent: this application ends the same way. */
  onFail: StepId.optional(),
}).strict();

export const subprocess = defineStepKind({
  schema: SubprocessStep,
  leadsOn: true,
  validate(step, v) {
    if (v.knownProcesses && !v.knownProcesses.has(step.process)) {
      v.report(v.at('process'), 'unknown-process', `step "${v.id}" starts unknown process "${step.process}"`);
    }
    for (const [name, expr] of Object.entries(step.input)) v.expression(expr, v.at('input', name));
    if (step.applicant) v.expression(step.applicant, v.at('applicant'));
    if (step.detach) {
      for (const field of ['saveAs', 'onFail'] as const) {
        if (step[field]) v.report(v.at(field), 'detached-outcome', `subprocess "${v.id}" is detached: its outcome is never awaited, so it has no ${field}`);
      }
    }
  },
  edges(step, add) {
    add(step.onFail, ['onFail'], 'fail', { fa: 'ناموفق', en: 'not approved' });
  },
  diagram: {
    label: { fa: 'فرایند فرعی', en: 'subprocess' },
    shape: 'register',
    detail: (step) => `${escape(step.process)}${step.detach ? ` · ${label({ fa: 'جداگانه', en: 'detached' })}` : ''}`,
  },
});
