/** `switch`: takes the first case whose expression holds, else `otherwise`. */
import { z } from 'zod';
import { Expression, Otherwise, RuleId, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const SwitchStep = z.object({
  type: z.literal('switch'), ...stepBase,
  /** `rule`: the rule of the law a case carries out (military service for men, say). */
  cases: z.array(z.object({ when: Expression, next: StepId, rule: RuleId.optional() }).strict()).min(1),
  otherwise: Otherwise,
}).strict();

export const switchKind = defineStepKind({
  schema: SwitchStep,
  leadsOn: false,
  validate(step, v) {
    step.cases.forEach((c, i) => v.expression(c.when, v.at('cases', i, 'when')));
    if (!step.otherwise) v.report(v.at(), 'unhandled-outcome', `switch "${v.id}" has no otherwise: an application matching no case would stop`, true);
  },
  edges(step, add) {
    step.cases.forEach((c, i) => add(c.next, ['cases', i, 'next'], 'case', { fa: c.when, en: c.when }));
    add(step.otherwise, ['otherwise'], 'otherwise', { fa: 'در غیر این صورت', en: 'otherwise' });
  },
  diagram: { label: { fa: 'انتخاب مسیر', en: 'route' }, shape: 'decision' },
});
