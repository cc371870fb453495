/**
 * `claim`: claims a holding for a person, e.g. "one centre licence per natural person": the
 * register holds each holding once per holder, so of two applications arriving at the same moment
 * only one gets it. It is released when the application ends without a licence in force, or when
 * the last of its licences leaves force (revoked, closed, expired).
 */
import { z } from 'zod';
import { Expression, ReasonCode, StepId, Text, stepBase } from '../primitives.js';
import { escape } from './draw.js';
import { defineStepKind } from './kind.js';

export const ClaimStep = z.object({
  type: z.literal('claim'), ...stepBase,
  /** What is held, kebab-case, e.g. `welfare-services-centre`: the same name in any file is the same holding. */
  holding: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** CEL giving the holder's national code. */
  holder: Expression,
  /** CEL: claim only when this holds (e.g. a natural person); otherwise go on without a claim. */
  when: Expression.optional(),
  /** The reason the application is refused with when another application or licence holds it. */
  reason: ReasonCode,
  message: Text,
  next: StepId.optional(),
  /** Where a refused claim leads; absent: the application is rejected with `reason`. */
  onFail: StepId.optional(),
}).strict();

export const claim = defineStepKind({
  schema: ClaimStep,
  leadsOn: true,
  validate(step, v) {
    v.expression(step.holder, v.at('holder'));
    if (step.when) v.expression(step.when, v.at('when'));
  },
  edges(step, add) {
    add(step.onFail, ['onFail'], 'fail', { fa: 'در اختیار دیگری', en: 'held by another' });
  },
  diagram: {
    label: { fa: 'یک پروانه برای هر نفر', en: 'claim a holding' },
    shape: 'decision',
    detail: (step) => `${escape(step.holding)} · ${step.reason}`,
  },
});
