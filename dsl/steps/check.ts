/**
 * `check`: rules in order; the first that fails rejects the application, or leads to `otherwise`.
 * A rule is an expression that must hold, or a `claim` of a holding such as "one centre licence per
 * natural person": the register holds each holding once per holder, so of two applications at
 * the same moment only one gets it. A claim is released when the application ends without a
 * licence in force, or when the last of its licences leaves force. Any rule may apply only `when`
 * an expression holds.
 */
import { z } from 'zod';
import { Expression, Otherwise, ReasonCode, RuleId, StepId, Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

const ruleBase = {
  /** The rule of the law this carries out (`law/rules.yaml`): where it comes from. */
  rule: RuleId.optional(),
  /** CEL: the rule applies only when this holds (e.g. a natural person); otherwise it is passed. */
  when: Expression.optional(),
  reason: ReasonCode,
  message: Text,
};
/** A CEL expression over the facts that must hold. */
export const ExpressionRule = z.object({ expr: Expression, ...ruleBase }).strict();
/** Claims a holding for a holder; fails when another application or licence holds it. */
export const ClaimRule = z.object({
  /** What is held, kebab-case, e.g. `welfare-services-centre`: the same name in any file is the same holding. */
  claim: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** CEL giving the holder's national code (or a legal person's national identifier). */
  holder: Expression,
  /**
   * How many of this holding one holder may have at once (a number the authority sets: cite it in
   * the step's `assumptions`); absent, one. Each is held apart, so two applications racing for the
   * last one cannot both get it.
   */
  limit: z.number().int().min(2).max(1000).optional(),
  ...ruleBase,
}).strict();
export const CheckRule = z.union([ExpressionRule, ClaimRule]);
export type CheckRule = z.infer<typeof CheckRule>;

export const CheckStep = z.object({
  type: z.literal('check'), ...stepBase,
  rules: z.array(CheckRule).min(1),
  next: StepId.optional(),
  /** Where a failed rule leads; when absent the application is rejected with the rule's reason. */
  otherwise: Otherwise,
}).strict();

export const check = defineStepKind({
  schema: CheckStep,
  leadsOn: true,
  validate(step, v) {
    step.rules.forEach((rule, i) => {
      if ('expr' in rule) v.expression(rule.expr, v.at('rules', i, 'expr'));
      else v.expression(rule.holder, v.at('rules', i, 'holder'));
      if (rule.when) v.expression(rule.when, v.at('rules', i, 'when'));
    });
  },
  edges(step, add) {
    add(step.otherwise, ['otherwise'], 'otherwise', { fa: 'رد شرط', en: 'rule failed' });
  },
  diagram: {
    label: { fa: 'بررسی شرایط', en: 'check' },
    shape: 'decision',
    detail: (step) => step.rules.map((r) => ('claim' in r ? `${r.claim} · ${r.reason}` : r.reason)).join(', '),
  },
});
