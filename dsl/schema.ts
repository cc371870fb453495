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
  saveAs: FactName.optional(),
  next: StepId.optional(),
  /** Where a child that ends rejected or withdrawn leads; absent: this application ends the same way. */
  onFail: StepId.optional(),
}).strict();

/** Changes the licence a lifecycle process is about (`licence.number` in its facts). */
export const AmendStep = z.object({
  type: z.literal('amend'), ...base,
  action: z.enum(['renew', 'suspend', 'reinstate', 'revoke', 'close']),
  /** For `renew`: the new validity, counted from the current expiry (or from now if already expired). */
  validity: Duration.optional(),
  next: StepId.optional(),
}).strict();

export const EndStep = z.object({
  type: z.literal('end'), ...base,
  outcome: z.enum(['approved', 'rejected', 'withdrawn']),
  reason: ReasonCode,
}).strict();

export const Step = z.discriminatedUnion('type', [
  CheckStep, InquireStep, TaskStep, ParallelStep, SwitchStep, WaitStep,
  IssueStep, NotifyStep, SubprocessStep, AmendStep, EndStep,
]);

export const LicenceKind = z.object({
  title: Text,
  validity: Duration,
  /** Prefix of licence numbers, e.g. `WSC-PA`. */
  numberPrefix: z.string().regex(/^[A-Z]{2,6}(-[A-Z]{1,4})?$/),
  /** The processes that run each change to an issued licence of this kind. */
  changes: z.object({
    renewal: z.string().optional(),
    suspension: z.string().optional(),
    revocation: z.string().optional(),
    'closure-notice': z.string().optional(),
  }).strict().default({}),
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
  /** `application`: citizens apply for it; `lifecycle`: runs a change to an issued licence. */
  kind: z.enum(['application', 'lifecycle']).default('application'),
  effectiveFrom: JalaliDate,
  title: Text,
  description: Text.optional(),
  catalogue: CatalogueEntry.optional(),
  licences: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), LicenceKind).default({}),
  /** Facts a parent process hands in when it starts this one as a `subprocess`. */
  inputs: z.array(FactName).default([]),
  start: StepId,
  steps: z.record(StepId, Step),
}).strict();

export type Text = z.infer<typeof Text>;
export type Duration = z.infer<typeof Duration>;
export type Deadline = z.infer<typeof Deadline>;
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];
export type ProcessDefinition = z.infer<typeof ProcessDefinition>;
export type LicenceKind = z.infer<typeof LicenceKind>;
export type RetryPolicy = z.infer<typeof RetryPolicy>;
