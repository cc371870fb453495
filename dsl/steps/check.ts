/** `check`: eligibility rules; the first that fails rejects the application, or leads to `onFail`. */
import { z } from 'zod';
import { Expression, ReasonCode, StepId, Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const CheckStep = z.object({
  type: z.literal('check'), ...stepBase,
  rules: z.array(z.object({ expr: Expression, reason: ReasonCode, message: Text }).strict()).min(1),
  next: StepId.optional(),
  /** Where a failed rule leads; when absent the application is rejected with the rule's reason. */
  onFail: StepId.optional(),
}).strict();

export const check = defineStepKind({
  schema: CheckStep,
  leadsOn: true,
  validate(step, v) {
    step.rules.forEach((rule, i) => v.expression(rule.expr, v.at('rules', i, 'expr')));
  },
  edges(step, add) {
    add(step.onFail, ['onFail'], 'fail', { fa: 'رد شرط', en: 'rule failed' });
  },
  diagram: {
    label: { fa: 'بررسی شرایط', en: 'check' },
    shape: 'decision',
    detail: (step) => step.rules.map((r) => r.reason).join(', '),
  },
});
