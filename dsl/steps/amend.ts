/** `amend`: changes the licence a lifecycle process is about (renew, suspend, … transfer). */
import { z } from 'zod';
import { Duration, Expression, FactName, StepId, stepBase } from '../primitives.js';
import { label } from './draw.js';
import { defineStepKind } from './kind.js';

/** Changes the licence a lifecycle process is about (`licence.number` in its facts). */
export const AmendActions = ['renew', 'suspend', 'reinstate', 'revoke', 'close', 'expire', 'transfer'] as const;
export const AmendStep = z.object({
  type: z.literal('amend'), ...stepBase,
  /**
   * `expire` ends an active or suspended licence whose validity has passed (a licence not renewed
   * in time); `transfer` hands an active or suspended licence to a new `holder`, with its dependents
   * held by the same holder and its "one per person" holdings (refused when the new holder already
   * has one of those holdings).
   */
  action: z.enum(AmendActions),
  /**
   * For `transfer` (and only for it): CEL giving the new holder, a person (`change.successor`: the
   * register then shows their name) or a national code.
   */
  holder: Expression.optional(),
  /** For `renew`: the new validity, counted from the current expiry (or from now if already expired). */
  validity: Duration.optional(),
  /** Also applies this action to every licence issued as depending on this one (`issue.dependsOn`). */
  dependents: z.enum(['suspend', 'reinstate', 'revoke', 'close', 'expire']).optional(),
  next: StepId.optional(),
  /**
   * Where the process goes when the licence's state no longer allows the change (another change
   * got there first); absent: it ends rejected with `LICENCE_STATE_CHANGED`.
   */
  onRefused: StepId.optional(),
  /** Saves `{ applied, status, refusal }` (`refusal`: why a refused change was refused, or null) under this fact. */
  saveAs: FactName.optional(),
}).strict();

export const amend = defineStepKind({
  schema: AmendStep,
  leadsOn: true,
  needsLicence: true,
  validate(step, v) {
    const { id } = v;
    if (step.action === 'renew' && !step.validity) v.report(v.at(), 'missing-validity', `amend "${id}" renews without a validity`, true);
    if (step.action === 'transfer' && !step.holder) v.report(v.at(), 'missing-holder', `amend "${id}" transfers the licence without naming the new holder`, true);
    if (step.action !== 'transfer' && step.holder) v.report(v.at('holder'), 'misplaced-holder', `amend "${id}" (${step.action}) keeps the holder; only a transfer names one`, true);
    if (step.action === 'transfer' && step.dependents) v.report(v.at('dependents'), 'misplaced-dependents', `amend "${id}" transfers the dependents held by the same holder itself; it takes no dependents`, true);
    if (step.holder) v.expression(step.holder, v.at('holder'));
  },
  edges(step, add) {
    add(step.onRefused, ['onRefused'], 'fail', { fa: 'وضعیت پروانه اجازه نداد', en: 'licence state changed' });
  },
  diagram: {
    label: { fa: 'تغییر پروانه', en: 'licence change' },
    shape: 'register',
    detail: (step) => `${step.action}${step.dependents ? ` · ${label({ fa: 'وابسته‌ها', en: 'dependents' })}: ${step.dependents}` : ''}`,
  },
});
