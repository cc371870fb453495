/** `end`: the application ends approved, rejected or withdrawn, with a reason. */
import { z } from 'zod';
import { ReasonCode, type Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const EndStep = z.object({
  type: z.literal('end'), ...stepBase,
  outcome: z.enum(['approved', 'rejected', 'withdrawn']),
  reason: ReasonCode,
}).strict();

const OUTCOME_LABEL: Record<z.infer<typeof EndStep>['outcome'], Text> = {
  approved: { fa: 'تأیید', en: 'approved' },
  rejected: { fa: 'رد', en: 'rejected' },
  withdrawn: { fa: 'انصراف', en: 'withdrawn' },
};

export const end = defineStepKind({
  schema: EndStep,
  leadsOn: false,
  diagram: {
    label: { fa: 'پایان', en: 'end' },
    shape: 'ending',
    className: 'finish',
    detail: (step) => [OUTCOME_LABEL[step.outcome], ` · ${step.reason}`],
  },
});
