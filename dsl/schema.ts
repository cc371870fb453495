/**
 * The one source of the licence-process language: the zod schema below (each step kind's in
 * `steps/<kind>.ts`, gathered by `steps/index.ts`) gives the TypeScript
 * types (`z.infer`) and the published JSON Schema (`npm run dsl:schema` writes
 * `dsl/process.schema.json`). Semantic rules the schema cannot express (references, reachability,
 * deadlines, unhandled outcomes) live in `validate.ts`, so the schema stays permissive there
 * and the validator can name the exact problem.
 */
import { z } from 'zod';
import { citations, count, Expression, FactName, JalaliDate, ReasonCode, RuleId, StepId, Text, Duration } from './primitives.js';
import { stepSchemas } from './steps/index.js';
import { ChangeInputField } from './fields.js';

export { ChangeInputField, RecordedField } from './fields.js';
export { Deadline, Duration, Expression, FactName, JalaliDate, ReasonCode, Registries, Scopes, StepId, Text } from './primitives.js';

/** Any step: the union of the kinds listed in `steps/index.ts`. */
export const Step = z.discriminatedUnion('type', stepSchemas);

export const LicenceKind = z.object({
  title: Text,
  validity: Duration,
  /** Prefix of licence numbers, e.g. `WSC-PA`. */
  numberPrefix: z.string().regex(/^[A-Z]{2,6}(-[A-Z]{1,4})?$/),
  /**
   * The lifecycle process (`kind: lifecycle`) that runs each change to an issued licence of this
   * kind, by change name: `renewal`, `suspension`, `revocation`, `closure-notice`, `manager-leave`…
   */
  changes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.string()).default({}),
  /**
   * Standing processes (`kind: standing`) started when a licence of this kind is issued and run
   * beside it while it stands: renewal reminders and expiry, recurring obligations.
   */
  standing: z.array(z.string()).default([]),
  /**
   * Of this kind's `changes`, those also offered to licences of the kind issued under an earlier
   * version of this file: a change the law always gave that the earlier version left out (the
   * principle agreement's renewal, Art. 7 of the 1398/09/04 instruction). No default, so a file
   * without it keeps its content hash.
   */
  earlierLicences: z.object({ changes: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1) }).strict().optional(),
}).strict();

/**
 * A rule on a change's request, judged when the change is requested (refused at once, nothing
 * started) and again as its process starts. It sees `licence`, `change` (with `receivedOn`),
 * `applicant`, `application`, `today` and `now`; `field` names the input it judges.
 */
export const ChangeRule = z.object({ expr: Expression, reason: ReasonCode, message: Text, field: FactName.optional(), rule: RuleId.optional() }).strict();

/** Who may start a lifecycle process against a licence, and what the request carries (`change.*`). */
export const ChangeDeclaration = z.object({
  startedBy: z.array(z.enum(['portal', 'county-office', 'province-office', 'national-office'])).min(1),
  input: z.record(FactName, ChangeInputField).default({}),
  /** In order, the first that fails decides: the change is refused with its reason. */
  rules: z.array(ChangeRule).default([]),
  /**
   * `true`: runs alone among exclusive changes to the licence (a renewal must not race a
   * revocation); `false`: may run beside them (a manager's leave). Never two of one change at once.
   */
  exclusive: z.boolean().default(true),
}).strict();

const kebab = z.string().regex(/^[a-z][a-z0-9-]*$/, 'names are kebab-case: letters, digits and "-"');

/** A document of a call's online registration; without it the registration is refused. */
export const CallDocument = z.object({
  id: kebab,
  title: Text,
  required: z.boolean().default(true),
  /** Required only when this CEL expression over `applicant` holds, e.g. `applicant.sex == "male"`. */
  requiredWhen: Expression.optional(),
}).strict();

/**
 * The cohort rules of a competitive call (`kind: call`): many applicants, one deadline, a capacity
 * per university, ranked together by a published rule. Each applicant runs the file's `steps`.
 */
export const CallSection = z.object({
  /** Registrations are accepted from `opens` until `closes` (Tehran time). */
  registration: z.object({ opens: JalaliDate, closes: JalaliDate }).strict(),
  documents: z.array(CallDocument).min(1),
  /** Counted from `registration.closes`: an applicant whose documents are not accepted by then is refused `LATE_DOCUMENTS`. */
  lateDocuments: z.object({ after: Duration }).strict(),
  /** Each university's declared need (capacity) and the counties it covers. */
  universities: z.record(kebab, z.object({ title: Text, counties: z.array(kebab).min(1), capacity: count }).strict()),
  /** `passMark` is a percentage of `maxScore`; results are awaited for `resultsDue` after the documents deadline. */
  exam: z.object({ maxScore: z.number().positive(), passMark: z.number().min(0).max(100), resultsDue: Duration }).strict(),
  /** CEL giving the score (a number) from the applicant's facts and `exam` (`score`, `percent`). */
  score: Expression,
  /** Points added when `when` holds, e.g. a guild-training-school licence. */
  bonus: z.array(z.object({ when: Expression, points: z.number().positive(), title: Text }).strict()).default([]),
  /** Interviews for `multiple` × each university's capacity, held `within` the given time of the shortlist. */
  interview: z.object({ multiple: z.number().int().min(1), within: Duration }).strict().optional(),
  /** After the total (score + bonus, descending), in order; the last must be unique per applicant. */
  tieBreakers: z.array(z.object({ key: Expression, order: z.enum(['asc', 'desc']) }).strict()).min(1),
  /** For this long after the final ranking, a place given up moves to the next in rank. */
  reserves: z.object({ within: Duration }).strict(),
}).strict();

/** The licence type's entry in the national permits portal's catalogue. */
export const CatalogueEntry = z.object({
  authority: Text,
  legalBasis: Text,
  documents: z.array(Text).default([]),
  daysToIssue: z.number().int().positive(),
  validityMonths: z.number().int().positive().optional(),
  prerequisites: z.array(z.string()).default([]),
}).strict();

export const ProcessDefinition = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().positive(),
  /**
   * `application`: citizens apply for it; `lifecycle`: runs a change to an issued licence; `call`: a
   * competitive call; `standing`: runs beside an issued licence from its issue (see `licences.*.standing`).
   */
  kind: z.enum(['application', 'lifecycle', 'call', 'standing']).default('application'),
  effectiveFrom: JalaliDate,
  title: Text,
  description: Text.optional(),
  catalogue: CatalogueEntry.optional(),
  licences: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), LicenceKind).default({}),
  /** Facts a parent process hands in when it starts this one as a `subprocess`. */
  inputs: z.array(FactName).default([]),
  /** For `kind: lifecycle`: who may start it against a licence, and the request's fields. */
  change: ChangeDeclaration.optional(),
  /** The cohort rules, for `kind: call` only. */
  call: CallSection.optional(),
  /** The numbers of the whole file (validity periods, say) that the authority sets, not the seeds. */
  assumptions: citations.assumptions,
  start: StepId,
  steps: z.record(StepId, Step),
}).strict();

export type Step = z.infer<typeof Step>;
export type ProcessDefinition = z.infer<typeof ProcessDefinition>;
export type LicenceKind = z.infer<typeof LicenceKind>;
export type ChangeDeclaration = z.infer<typeof ChangeDeclaration>;
export type ChangeRule = z.infer<typeof ChangeRule>;
export type CallSection = z.infer<typeof CallSection>;
