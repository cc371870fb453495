/**
 * `amend`: changes the licence a lifecycle process is about (`licence.number` in its facts). One
 * kind, three shapes by `action`: a renewal names its new validity, a transfer its new holder,
 * and the other actions change the licence's state, optionally with its dependents'.
 */
import { z } from 'zod';
import { Duration, Expression, FactName, Otherwise, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

/** What may happen to the licences issued as depending on this one (`issue.dependsOn`). */
const Dependents = z.enum(['suspend', 'reinstate', 'revoke', 'close', 'expire']);

const amendBase = {
  type: z.literal('amend'), ...stepBase,
  next: StepId.optional(),
  /**
   * Where the process goes when the licence's state no longer allows the change (another change
   * got there first); absent: it ends rejected with `LICENCE_STATE_CHANGED`.
   */
  otherwise: Otherwise,
  /** Saves `{ applied, status, refusal }` (`refusal`: why a refused change was refused, or null) under this fact. */
  saveAs: FactName.optional(),
};

/** Renews the licence: the new validity is counted from the current expiry (or from now if already expired). */
export const RenewAction = z.object({ ...amendBase, action: z.literal('renew'), validity: Duration, dependents: Dependents.optional() }).strict();
/**
 * Changes the licence's state; `expire` ends an active or suspended licence whose validity has
 * passed (a licence not renewed in time). `dependents`: the same action on its dependents.
 */
export const StateAction = z.object({
  ...amendBase, action: z.enum(['suspend', 'reinstate', 'revoke', 'close', 'expire']), dependents: Dependents.optional(),
}).strict();
/**
 * Hands an active or suspended licence to a new `holder` (CEL: a person, `change.successor`, whose
 * name the register then shows, or a national code), with its "one per person" holdings (refused
 * when the new holder already has one of those). The licences standing on it that the previous
 * holder held pass too, unless `dependents` ends them (`close` or `revoke`): a licence personal to
 * its holder, as a centre's manager licence is (seed 002, Art. 5, 8(4)), does not pass to a successor.
 */
export const TransferAction = z.object({
  ...amendBase, action: z.literal('transfer'), holder: Expression, dependents: z.enum(['close', 'revoke']).optional(),
}).strict();

export const AmendStep = z.discriminatedUnion('action', [RenewAction, StateAction, TransferAction]);

export const amend = defineStepKind({
  schema: AmendStep,
  leadsOn: true,
  needsLicence: true,
  validate(step, v) {
    if (step.action === 'transfer') v.expression(step.holder, v.at('holder'));
  },
  edges(step, add) {
    add(step.otherwise, ['otherwise'], 'otherwise', { fa: 'وضعیت پروانه اجازه نداد', en: 'licence state changed' });
  },
  diagram: {
    label: { fa: 'تغییر پروانه', en: 'licence change' },
    shape: 'register',
    detail: (step) => [step.action, ...('dependents' in step && step.dependents ? [' · ', { fa: 'وابسته‌ها', en: 'dependents' }, `: ${step.dependents}`] : [])],
  },
});
