/**
 * `refresh`: re-reads the licence a lifecycle or standing process is about from the register, into
 * the `licence` fact: after a wait, it may have been renewed, suspended or revoked meanwhile. With
 * `licence` (an expression giving a number) it reads that licence instead, into `saveAs`, in any
 * process: an application reading the principle agreement it was issued, which may since have
 * been renewed.
 */
import { z } from 'zod';
import { Expression, FactName, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const RefreshStep = z.object({
  type: z.literal('refresh'), ...stepBase,
  /** CEL giving the number of the licence to read, e.g. `licences["principle-agreement"].number`; with `saveAs`. */
  licence: Expression.optional(),
  saveAs: FactName.optional(),
  next: StepId.optional(),
}).strict();

export const refresh = defineStepKind({
  schema: RefreshStep,
  leadsOn: true,
  needsLicence: (step) => step.licence === undefined,
  validate(step, v) {
    if (step.licence !== undefined) {
      v.expression(step.licence, v.at('licence'));
      if (!step.saveAs) v.report(v.at('licence'), 'missing-field', `refresh "${v.id}" reads a licence it names, but has no saveAs to keep it in`);
    } else if (step.saveAs) v.report(v.at('saveAs'), 'schema', `refresh "${v.id}" reads the process's own licence into the licence fact; saveAs goes with licence`);
  },
  diagram: { label: { fa: 'خواندن دوباره پروانه', en: 're-read the licence' }, shape: 'exchange' },
});
