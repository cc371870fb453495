/** `issue`: issues a licence of a kind the process declares under `licences`. */
import { z } from 'zod';
import { Expression, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const IssueStep = z.object({
  type: z.literal('issue'), ...stepBase,
  licence: z.string(),
  /**
   * CEL giving the number of the licence this one depends on (a centre's activity licence, for its
   * manager licence); an `amend` with `dependents` reaches it. An error or a non-string: none.
   */
  dependsOn: Expression.optional(),
  /**
   * Ends, with this action, the other licences in force of the same kind that stand on the same
   * licence (`dependsOn`): a centre's new manager licence ends the previous manager's. The portal
   * is told of each (`licence-closed` / `licence-revoked`, `because` the new licence).
   */
  supersedes: z.enum(['close', 'revoke']).optional(),
  /**
   * CEL giving the number (or a list of numbers) of licences that stand, from this issue on, on the
   * licence issued: a centre's manager licence, issued while only its principle agreement stood,
   * moves onto the activity licence it waited for and ends with it. Each must be in force and
   * issued by this application or one of its subprocesses.
   */
  adopts: Expression.optional(),
  next: StepId.optional(),
}).strict();

export const issue = defineStepKind({
  schema: IssueStep,
  leadsOn: true,
  validate(step, v) {
    if (!Object.hasOwn(v.process.licences, step.licence)) {
      v.report(v.at('licence'), 'unknown-licence', `step "${v.id}" issues licence kind "${step.licence}" not declared under licences`);
    }
    if (step.dependsOn) v.expression(step.dependsOn, v.at('dependsOn'));
    if (step.adopts) v.expression(step.adopts, v.at('adopts'));
    if (step.supersedes && !step.dependsOn) {
      v.report(v.at('supersedes'), 'supersedes-without-depends-on', `issue "${v.id}" supersedes the licences standing on the same licence, but has no dependsOn`);
    }
  },
  diagram: { label: { fa: 'صدور', en: 'issue' }, shape: 'register' },
});
