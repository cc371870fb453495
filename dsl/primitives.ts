/**
 * The words every part of the language is built from: bilingual text, names, expressions,
 * dates and durations. Step kinds (`steps/`) and the process schema (`schema.ts`) share them.
 */
import { z } from 'zod';

/** A label in both languages, as every user-facing name in Parvaneh. */
export const Text = z.object({ fa: z.string().min(1), en: z.string().min(1) }).strict();

export const StepId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'step ids are kebab-case: letters, digits and "-"');
export const ReasonCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'reason codes are UPPER_SNAKE_CASE');
export const FactName = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'fact names are camelCase identifiers');
/** A CEL expression over the application's facts; checked for syntax by the validator. */
export const Expression = z.string().min(1);
/** A Jalali date, `YYYY/MM/DD`. */
export const JalaliDate = z.string().regex(/^\d{4}\/\d{2}\/\d{2}( \d{2}:\d{2})?$/, 'a Jalali date as YYYY/MM/DD');

export const count = z.number().int().positive();
export const Duration = z.union([
  z.object({ hours: count }).strict(),
  z.object({ workingHours: count }).strict(),
  z.object({ days: count }).strict(),
  z.object({ workingDays: count }).strict(),
  z.object({ months: count }).strict(),
]);
/** A duration counted from when the step starts, or a fixed Jalali `date` (`due: { date: 1405/06/31 }`). */
export const Deadline = z.union([Duration, z.object({ date: JalaliDate }).strict()]);

export const Registries = [
  'civil-registry', 'security-clearance', 'criminal-record', 'addiction',
  'military-service', 'higher-education', 'social-insurance',
] as const;
/** Which office may act on a task: the applicant's county office, their province's, or any. */
export const Scopes = ['applicant-county', 'applicant-province', 'national'] as const;

/**
 * The two unhappy paths every step names the same way: `otherwise` where a condition is not met
 * (a rule fails, no case holds, a change is refused, a subprocess is not approved), `late` where
 * time runs out (an inquiry unanswered, a task undecided by its last deadline).
 */
export const Otherwise = StepId.optional();
export const Late = StepId.optional();

/**
 * A rule of the law, by its id in `law/rules.yaml` (which gives the seed, the article and a
 * quote), e.g. `welfare.holder.age`. Lower-case words joined by dots, at least two.
 */
export const RuleId = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'rule ids are dotted kebab-case words, e.g. welfare.holder.age');
/** A number the authority sets, not the seeds, by its id in `law/assumptions.yaml` (its value and where it came from). */
export const AssumptionId = RuleId;
/**
 * Where a part of a file comes from: `law` names the rules of the sources it carries out,
 * `assumptions` the numbers in it that the authority sets. Citations only: they do not change
 * what runs, and the content hash leaves them out.
 */
export const citations = { law: z.array(RuleId).min(1).optional(), assumptions: z.array(AssumptionId).min(1).optional() };

/** The fields every step may carry. */
export const stepBase = { title: Text.optional(), description: Text.optional(), ...citations };

export type Text = z.infer<typeof Text>;
export type Duration = z.infer<typeof Duration>;
export type Deadline = z.infer<typeof Deadline>;
