/** `subprocess`: another process as a step, awaited: its outcome decides where this one goes. */
import { z } from 'zod';
import { FactName, Otherwise, StepId, stepBase } from '../primitives.js';
import { defineStepKind, type StepCheck } from './kind.js';
import { ChildInput, checkChild } from './launch.js';

export const SubprocessStep = z.object({
  type: z.literal('subprocess'), ...stepBase,
  ...ChildInput,
  saveAs: FactName.optional(),
  next: StepId.optional(),
  /** Where a child that ends rejected or withdrawn leads; absent: this application ends the same way. */
  otherwise: Otherwise,
}).strict();

export const subprocess = defineStepKind({
  schema: SubprocessStep,
  leadsOn: true,
  validate: (step, v: StepCheck) => checkChild(step, v),
  edges(step, add) {
    add(step.otherwise, ['otherwise'], 'otherwise', { fa: 'ناموفق', en: 'not approved' });
  },
  diagram: {
    label: { fa: 'فرایند فرعی', en: 'subprocess' },
    shape: 'register',
    detail: (step) => step.process,
  },
});
