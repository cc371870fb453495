/**
 * `cohort`: stands in a competitive call's cohort (`kind: call`): the application waits here until
 * the call ranks every applicant together, then goes on (`next`) or, refused, to `otherwise` (absent:
 * it is rejected with the call's reason, e.g. `EXAM_BELOW_PASS_MARK`).
 */
import { z } from 'zod';
import { FactName, Otherwise, StepId, stepBase, type Text } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const CohortStep = z.object({
  type: z.literal('cohort'), ...stepBase,
  /** `shortlist`: the ranking after the exam that invites to interview; `final`: the final ranking. */
  stage: z.enum(['shortlist', 'final']),
  next: StepId.optional(),
  otherwise: Otherwise,
  /** The applicant's standing (university, score, bonus, total, rank) saved as a fact. */
  saveAs: FactName.optional(),
}).strict();
export type CohortStep = z.infer<typeof CohortStep>;

const STAGE_LABEL: Record<CohortStep['stage'], Text> = {
  shortlist: { fa: 'فهرست مصاحبه', en: 'interview shortlist' },
  final: { fa: 'رتبه‌بندی نهایی', en: 'final ranking' },
};

export const cohort = defineStepKind({
  schema: CohortStep,
  leadsOn: true,
  edges(step, add) {
    add(step.otherwise, ['otherwise'], 'otherwise', { fa: 'پذیرفته نشد', en: 'not admitted' });
  },
  diagram: {
    label: { fa: 'رتبه‌بندی فراخوان', en: 'call ranking' },
    shape: 'cohort',
    detail: (step) => STAGE_LABEL[step.stage],
  },
});
