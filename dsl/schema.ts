/**
 * The one source of the licence-process language: the zod schema below gives the TypeScript
 * types (`z.infer`) and the published JSON Schema (`npm run dsl:schema` writes
 * `dsl/process.schema.json`). Semantic rules the schema cannot express (references, reachability,
 * deadlines, unhandled outcomes) live in `validate.ts`, so the schema stays permissive there
 * and the validator can name the exact problem.
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

const count = z.number().int().positive();
export const Duration = z.union([
  z.object({ hours: count }).strict(),
  z.object({ workingHours: count }).strict(),
  z.object({ days: count }).strict(),
  z.object({ workingDays: count }).strict(),
  z.object({ months: count }).strict(),
]);
export const Deadline = z.union([Duration, z.object({ until: JalaliDate }).strict()]);

export const Registries = [
  'civil-registry', 'security-clearance', 'criminal-record', 'addiction',
  'military-service', 'higher-education', 'social-insurance',
] as const;
export const Roles = ['portal', 'county-office', 'province-office'] as const;
/** Which office may act on a task: the applicant's county office, their province's, or any. */
export const Scopes = ['applicant-county', 'applicant-province', 'national'] as const;

const base = { title: Text.optional(), description: Text.optional() };

export const CheckStep = z.object({
  type: z.literal('check'), ...base,
  rules: z.array(z.object({ expr: Expression, reason: ReasonCode, message: Text }).strict()).min(1),
  next: StepId.optional(),
  /** Where a failed rule leads; when absent the application is rejected with the rule's reason. */
  onFail: StepId.optional(),
}).strict();

export const RetryPolicy = z.object({
  maximumAttempts: z.number().int().min(1).max(100).default(10),
  initialIntervalSeconds: z.number().positive().default(5),
  backoffCoefficient: z.number().min(1).max(10).default(2),
  maximumIntervalSeconds: z.number().positive().default(3600),
}).strict();

export const InquireStep = z.object({
  type: z.literal('inquire'), ...base,
  registry: z.string(),
  /** CEL expression giving the national code asked about. */
  subject: Expression,
  /** Why we ask: recorded with the inquiry for audit. */
  purpose: Text.optional(),
  timeout: Deadline.optional(),
  retry: RetryPolicy.optional(),
  /** The fact the answer is saved under. */
  saveAs: FactName,
  /** An answer after the timeout: `record` keeps it for audit only, `apply` also updates the fact. */
  lateAnswer: z.enum(['record', 'apply']).default('record'),
  next: StepId.optional(),
  onTimeout: StepId.optional(),
}).strict();

export const TaskOutcome = z.object({
  title: Text,
  next: StepId.optional(),
  requiresReason: z.boolean().default(false),
}).strict();

export const TaskStep = z.object({
  type: z.literal('task'), ...base,
  role: z.string(),
  scope: z.enum(Scopes).default('applicant-county'),
  due: Deadline.optional(),
  /** When `due` passes the task moves up to another role, with a new deadline. */
  escalation: z.object({ role: z.string(), scope: z.enum(Scopes).default('applicant-province'), due: Deadline }).strict().optional(),
  outcomes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), TaskOutcome),
  /** The step taken when every deadline has passed without a decision. */
  onOverdue: StepId.optional(),
  saveAs: FactName.optional(),
}).strict();

export const ParallelStep = z.object({
  type: z.literal('parallel'), ...base,
  /** Each branch starts at a step and runs until a step without `next`. */
  branches: z.array(StepId).min(2),
  next: StepId.optional(),
}).strict();

export const SwitchStep = z.object({
  type: z.literal('switch'), ...base,
  cases: z.array(z.object({ when: Expression, next: StepId }).strict()).min(1),
  default: StepId.optional(),
}).strict();

export const WaitStep = z.object({
  type: z.literal('wait'), ...base,
  delay: Deadline.optional(),
  /** Or: a CEL expression giving the ISO date (or date-time) to wait until, e.g. `change.effectiveDate`. */
  until: Expression.optional(),
  next: StepId.optional(),
}).strict();

export const IssueStep = z.object({
  type: z.literal('issue'), ...base,
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
  next: StepId.optional(),
}).strict();

export const NotifyStep = z.object({
  type: z.literal('notify'), ...base,
  channel: z.enum(['portal', 'sms']),
  /** A stable event name the portal understands, e.g. `principle-agreement-issued`. */
  event: z.string().regex(/^[a-z][a-z0-9-]*$/),
  message: Text.optional(),
  next: StepId.optional(),
}).strict();

export const SubprocessStep = z.object({
  type: z.literal('subprocess'), ...base,
  process: z.string(),
  /** Facts handed to the child: name → CEL expression over this application's facts. */
  input: z.record(FactName, Expression).default({}),
  /** CEL giving the child's applicant (a person: nationalCode, names…); absent: this application's. */
  applicant: Expression.optional(),
  /**
   * `true`: start the child and go on at once; it runs on by itself (even after this process ends)
   * and its outcome is not awaited, so `saveAs` and `onFail` are not allowed.
   */
  detach: z.boolean().default(false),
  saveAs: FactName.optional(),
  next: StepId.optional(),
  /** Where a child that ends rejected or withdrawn leads; absent: this application ends the same way. */
  onFail: StepId.optional(),
}).strict();

/** Changes the licence a lifecycle process is about (`licence.number` in its facts). */
export const AmendActions = ['renew', 'suspend', 'reinstate', 'revoke', 'close', 'expire', 'transfer'] as const;
export const AmendStep = z.object({
  type: z.literal('amend'), ...base,
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

/**
 * Re-reads the licence a lifecycle or standing process is about from the register, into the
 * `licence` fact: after a wait, it may have been renewed, suspended or revoked meanwhile.
 */
export const RefreshStep = z.object({
  type: z.literal('refresh'), ...base,
  next: StepId.optional(),
}).strict();

/** Saves the values of CEL expressions as facts, e.g. the quarter a recurring obligation is about. */
export const SetStep = z.object({
  type: z.literal('set'), ...base,
  facts: z.record(FactName, Expression),
  next: StepId.optional(),
}).strict();

/**
 * Claims a holding for a person, e.g. "one centre licence per natural person": the register holds
 * each holding once per holder, so of two applications arriving at the same moment only one gets
 * it. It is released when the application ends without a licence in force, or when the last of
 * its licences leaves force (revoked, closed, expired).
 */
export const ClaimStep = z.object({
  type: z.literal('claim'), ...base,
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

/**
 * Stands in a competitive call's cohort (`kind: call`): the application waits here until the call
 * ranks every applicant together, then goes on (`next`) or, refused, to `onFail` (absent: it is
 * rejected with the call's reason, e.g. `EXAM_BELOW_PASS_MARK`). See the `call` section.
 */
export const CohortStep = z.object({
  type: z.literal('cohort'), ...base,
  /** `shortlist`: the ranking after the exam that invites to interview; `final`: the final ranking. */
  stage: z.enum(['shortlist', 'final']),
  next: StepId.optional(),
  onFail: StepId.optional(),
  /** The applicant's standing (university, score, bonus, total, rank) saved as a fact. */
  saveAs: FactName.optional(),
}).strict();

export const EndStep = z.object({
  type: z.literal('end'), ...base,
  outcome: z.enum(['approved', 'rejected', 'withdrawn']),
  reason: ReasonCode,
}).strict();

export const Step = z.discriminatedUnion('type', [
  CheckStep, InquireStep, TaskStep, ParallelStep, SwitchStep, WaitStep,
  IssueStep, NotifyStep, SubprocessStep, AmendStep, RefreshStep, SetStep, ClaimStep, CohortStep, EndStep,
]);

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
}).strict();

const changeField = { optional: z.boolean().default(false), title: Text.optional() };
/** One field of a change's request body, checked by the service before the process starts. */
export const ChangeInputField = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), ...changeField, min: z.number().int().min(0).default(1), max: z.number().int().positive().default(2000) }).strict(),
  z.object({ type: z.literal('date'), ...changeField }).strict(),
  z.object({ type: z.literal('integer'), ...changeField, min: z.number().int().optional(), max: z.number().int().optional() }).strict(),
  z.object({ type: z.literal('choice'), ...changeField, values: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1) }).strict(),
  z.object({ type: z.literal('boolean'), ...changeField }).strict(),
  /** A person as an application names its applicant: nationalCode, firstName, lastName, birthDate, sex… */
  z.object({ type: z.literal('person'), ...changeField }).strict(),
]);

/**
 * A rule on a change's request, judged when the change is requested (refused at once, nothing
 * started) and again as its process starts. It sees `licence`, `change` (with `receivedOn`),
 * `applicant`, `application`, `today` and `now`; `field` names the input it judges.
 */
export const ChangeRule = z.object({ expr: Expression, reason: ReasonCode, message: Text, field: FactName.optional() }).strict();

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
  start: StepId,
  steps: z.record(StepId, Step),
}).strict();

export type Text = z.infer<typeof Text>;
export type Duration = z.infer<typeof Duration>;
export type Deadline = z.infer<typeof Deadline>;
export type Step = z.infer<typeof Step>;
export type ProcessDefinition = z.infer<typeof ProcessDefinition>;
export type LicenceKind = z.infer<typeof LicenceKind>;
export type RetryPolicy = z.infer<typeof RetryPolicy>;
export type ChangeDeclaration = z.infer<typeof ChangeDeclaration>;
export type ChangeInputField = z.infer<typeof ChangeInputField>;
export type ChangeRule = z.infer<typeof ChangeRule>;
export type CallSection = z.infer<typeof CallSection>;
export type CohortStep = z.infer<typeof CohortStep>;
