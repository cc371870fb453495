/**
 * The DSL interpreter: runs any licence-process definition step by step, deterministically.
 * Every transition is written to PostgreSQL through (local) activities; human decisions and
 * late registry answers arrive as signals held in the `Mailbox`.
 */
import {
  ActivityFailure, CancellationScope, isCancellation, proxyActivities, sleep,
} from '@temporalio/workflow';
import type { TimelineEvent } from '../activities/database.js';
import type { DefinitionActivities } from '../activities/definitions.js';
import type { RegistryActivities } from '../activities/registries.js';
import { resolveDeadline, type HolidayCalendar } from '../dsl/calendar.js';
import { refusalOf } from '../dsl/change-rules.js';
import { evaluate, holds, type Facts } from '../dsl/expressions.js';
import { factsAt } from '../dsl/facts.js';
import type { ProcessDefinition, Step } from '../dsl/schema.js';
import { isoAt, now, parseIso } from './clock.js';
import { conditionWithin } from './deadlines.js';
import { pokeOutbox } from './outbox-poke.js';
import { claimStep, licenceNumberOf, refreshStep, setStep } from './licence-steps.js';
import type { CallVerdict } from '../domain/process-contracts/call-process.js';
import { cohortStep } from './cohort-step.js';
import type { IssuedLicence, LateInquiry, OpenTaskView, PendingInquiryView, ProcessOutcome, RegistryAnswer, TaskDecision } from '../domain/process-contracts/licence-process.js';
import { db } from './activity-options.js';

const definitions = proxyActivities<DefinitionActivities>({ startToCloseTimeout: '30s' });

/** How an application ends. */
export interface Ending {
  outcome: ProcessOutcome;
  reason: string;
  stepId: string;
}

/** Where the timeline places a change's rules: before the first step, under the `change` section's name. */
const CHANGE_RULES = 'change';

/** What a step leads to: another step, the end of its branch, or the end of the application. */
type Transition = { next?: string; end?: Ending };

/** Signals received and not yet consumed, and what the `state` query shows. */
export class Mailbox {
  decisions = new Map<string, TaskDecision>();
  answers = new Map<string, RegistryAnswer>();
  late = new Map<string, LateInquiry>();
  lateQueue: RegistryAnswer[] = [];
  currentSteps = new Set<string>();
  openTasks = new Map<string, OpenTaskView>();
  pendingInquiries = new Map<string, PendingInquiryView>();
  /** A competitive call's verdicts by stage, and the stage a `cohort` step now waits at. */
  verdicts = new Map<string, CallVerdict>();
  awaitingStage?: string;

  /** Inquiries whose answer was already taken: a repeated delivery changes nothing. */
  consumed = new Set<string>();

  receiveAnswer(answer: RegistryAnswer): void {
    if (this.consumed.has(answer.inquiryId)) return;
    if (this.late.has(answer.inquiryId)) {
      this.consumed.add(answer.inquiryId);
      this.lateQueue.push(answer);
    } else if (!this.answers.has(answer.inquiryId)) this.answers.set(answer.inquiryId, answer);
  }
}

export interface InterpreterState {
  facts: Facts;
  seq: number;
  entries: Record<string, number>;
}

/** What the workflow module supplies: continue-as-new between steps, and child applications. */
export interface InterpreterHooks {
  /** Called before each top-level step; may continue-as-new (and then never returns). */
  beforeTopLevelStep(stepId: string): Promise<void>;
  /** Runs a child application; a detached one is only started (its result is undefined). */
  startChild(stepId: string, definition: ProcessDefinition, hash: string, input: Facts, opts?: { applicant?: unknown; detach?: boolean }): Promise<{ outcome: ProcessOutcome; reason: string; licences: Record<string, IssuedLicence> } | undefined>;
  /** Starts a standing process beside a licence just issued (it runs on after this process ends). */
  startStanding(processId: string, licence: StandingLicence): Promise<void>;
}

/**
 * The new holder a `transfer` names: a person (`change.successor`, whom the register then shows,
 * and later changes vet and notify) or a bare national code.
 */
function newHolder(value: unknown): { nationalCode: string; person: Record<string, unknown> | null } {
  if (typeof value === 'string') return { nationalCode: value, person: null };
  const person = (value ?? {}) as Record<string, unknown>;
  return { nationalCode: typeof person.nationalCode === 'string' ? person.nationalCode : '', person };
}

/** What a standing process is told of the licence it stands beside. */
export interface StandingLicence extends IssuedLicence {
  licenceType: string;
  status: string;
  holderNationalCode: string;
  dependsOn: string | null;
}

export class Interpreter {
  constructor(
    readonly applicationId: string,
    readonly definition: ProcessDefinition,
    readonly definitionHash: string,
    readonly calendar: HolidayCalendar,
    readonly state: InterpreterState,
    readonly mailbox: Mailbox,
    readonly hooks: InterpreterHooks,
  ) {}

  /** Builds a timeline event with the next sequence number. */
  event(kind: string, stepId: string | undefined, detail: Record<string, unknown> = {}, currentStep?: string | null): TimelineEvent {
    this.state.seq += 1;
    return { applicationId: this.applicationId, seq: this.state.seq, kind, stepId, detail, occurredAt: isoAt(now()), currentStep };
  }

  /**
   * A change's rules, judged again as its process starts (the service judged them on the request;
   * a change another process starts is judged only here): the first that fails ends it rejected.
   */
  async judgeChange(): Promise<Ending | undefined> {
    const failed = refusalOf(this.definition.change, this.state.facts, now());
    if (!failed) return undefined;
    await db.recordEvent(this.event('rule-failed', CHANGE_RULES, { reason: failed.reason, message: failed.message, ...(failed.field ? { field: failed.field } : {}) }));
    return { outcome: 'rejected', reason: failed.reason, stepId: CHANGE_RULES };
  }

  /** Runs steps from `stepId` until an end, or until a step without `next` (a branch's end). */
  async runFrom(stepId: string, topLevel: boolean): Promise<Ending | undefined> {
    let id: string | undefined = stepId;
    while (id) {
      if (topLevel) await this.hooks.beforeTopLevelStep(id);
      const step: Step = this.definition.steps[id]!;
      this.state.entries[id] = (this.state.entries[id] ?? 0) + 1;
      this.mailbox.currentSteps.add(id);
      await db.recordEvent(this.event('step-started', id, { type: step.type, entry: this.state.entries[id] }, id));
      let transition: Transition;
      try {
        transition = await this.execute(id, step);
      } finally {
        this.mailbox.currentSteps.delete(id);
      }
      if (transition.end) return transition.end;
      id = transition.next;
    }
    return undefined;
  }

  private entryKey(stepId: string): string {
    return `${this.applicationId}.${stepId}.${this.state.entries[stepId]}`;
  }

  private application(): Record<string, string> {
    return (this.state.facts.application ?? {}) as Record<string, string>;
  }

  private execute(id: string, step: Step): Promise<Transition> {
    switch (step.type) {
      case 'check': return this.check(id, step);
      case 'inquire': return this.inquire(id, step);
      case 'task': return this.task(id, step);
      case 'parallel': return this.parallel(id, step);
      case 'switch': return this.route(id, step);
      case 'wait': return this.wait(id, step);
      case 'issue': return this.issue(id, step);
      case 'notify': return this.notify(id, step);
      case 'subprocess': return this.subprocess(id, step);
      case 'amend': return this.amend(id, step);
      case 'refresh': return refreshStep(this, id, step);
      case 'set': return setStep(this, id, step);
      case 'claim': return claimStep(this, id, step);
      case 'cohort': return cohortStep(this, id, step);
      case 'end': return Promise.resolve({ end: { outcome: step.outcome, reason: step.reason, stepId: id } });
    }
  }

  private async check(id: string, step: Extract<Step, { type: 'check' }>): Promise<Transition> {
    const facts = factsAt(this.state.facts, now());
    const failed = step.rules.find((rule) => !holds(rule.expr, facts));
    if (!failed) return { next: step.next };
    await db.recordEvent(this.event('rule-failed', id, { reason: failed.reason, message: failed.message }));
    this.state.facts.lastFailure = { stepId: id, reason: failed.reason };
    if (step.onFail) return { next: step.onFail };
    return { end: { outcome: 'rejected', reason: failed.reason, stepId: id } };
  }

  private async inquire(id: string, step: Extract<Step, { type: 'inquire' }>): Promise<Transition> {
    const inquiryId = this.entryKey(id);
    const deadline = resolveDeadline(step.timeout!, now(), this.calendar);
    const nationalCode = String(evaluate(step.subject, factsAt(this.state.facts, now())));
    // Without a policy, retry until the inquiry's own deadline (no attempt limit, bounded by scheduleToClose).
    const retry = step.retry;
    const registries = proxyActivities<RegistryActivities>({
      startToCloseTimeout: '30s',
      scheduleToCloseTimeout: Math.max(1000, deadline - now()),
      retry: {
        ...(retry ? { maximumAttempts: retry.maximumAttempts } : {}),
        backoffCoefficient: retry?.backoffCoefficient ?? 2,
        initialInterval: (retry?.initialIntervalSeconds ?? 5) * 1000,
        maximumInterval: (retry?.maximumIntervalSeconds ?? 3600) * 1000,
        nonRetryableErrorTypes: ['InquiryRefused'],
      },
    });
    this.mailbox.pendingInquiries.set(inquiryId, { inquiryId, stepId: id, registry: step.registry, deadlineAt: isoAt(deadline) });
    try {
      let answer: Record<string, unknown> | undefined;
      try {
        const outcome = await registries.sendInquiry({
          inquiryId, applicationId: this.applicationId, stepId: id, registry: step.registry,
          nationalCode, purpose: step.purpose, deadlineAt: isoAt(deadline),
          requestedBy: `${this.definition.id}@v${this.definition.version}#${id}`,
        });
        if (outcome.status === 'answered') {
          answer = outcome.answer;
          this.mailbox.consumed.add(inquiryId);
        }
        else if (await conditionWithin(() => this.mailbox.answers.has(inquiryId), deadline - now())) {
          answer = this.mailbox.answers.get(inquiryId)!.answer;
          this.mailbox.answers.delete(inquiryId);
          this.mailbox.consumed.add(inquiryId);
        }
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        await db.recordEvent(this.event('inquiry-failed', id, { inquiryId, registry: step.registry, error: error.cause?.message ?? error.message }));
      }
      if (answer) {
        this.state.facts[step.saveAs] = answer;
        await db.recordEvent(this.event('inquiry-answered', id, { inquiryId, registry: step.registry }));
        return { next: step.next };
      }
      this.mailbox.late.set(inquiryId, { inquiryId, stepId: id, saveAs: step.saveAs, policy: step.lateAnswer });
      await db.markInquiryTimedOut(inquiryId, this.event('inquiry-timed-out', id, { inquiryId, registry: step.registry, lateAnswer: step.lateAnswer }));
      return { next: step.onTimeout };
    } finally {
      this.mailbox.pendingInquiries.delete(inquiryId);
    }
  }

  /** Handles an answer that arrived after its inquiry's deadline, by the step's policy. */
  async handleLateAnswer(answer: RegistryAnswer): Promise<void> {
    const late = this.mailbox.late.get(answer.inquiryId);
    if (!late) return;
    this.mailbox.late.delete(answer.inquiryId);
    if (late.policy === 'apply') this.state.facts[late.saveAs] = answer.answer;
    await db.recordEvent(this.event(late.policy === 'apply' ? 'late-answer-applied' : 'late-answer-recorded', late.stepId, { inquiryId: answer.inquiryId }));
  }

  private scopeOf(scope: string): { county: string | null; province: string | null } {
    const app = this.application();
    if (scope === 'applicant-county') return { county: app.county ?? null, province: app.province ?? null };
    if (scope === 'applicant-province') return { county: null, province: app.province ?? null };
    return { county: null, province: null };
  }

  private async task(id: string, step: Extract<Step, { type: 'task' }>): Promise<Transition> {
    const taskId = this.entryKey(id);
    let role = step.role;
    let dueAt = resolveDeadline(step.due!, now(), this.calendar);
    const outcomes = Object.entries(step.outcomes).map(([name, o]) => ({ name, title: o.title, requiresReason: o.requiresReason }));
    const view = (): OpenTaskView => ({ taskId, stepId: id, role, dueAt: isoAt(dueAt), outcomes: outcomes.map((o) => o.name) });
    let closed = false;
    try {
      await db.openTask(
        { taskId, applicationId: this.applicationId, stepId: id, title: step.title ?? { fa: id, en: id }, role, ...this.scopeOf(step.scope), outcomes, dueAt: isoAt(dueAt) },
        this.event('task-opened', id, { taskId, role, dueAt: isoAt(dueAt) }),
      );
      this.mailbox.openTasks.set(taskId, view());
      let escalated = false;
      for (;;) {
        const decided = await conditionWithin(() => this.validDecision(taskId, step) !== undefined, dueAt - now());
        if (decided) {
          const decision = this.validDecision(taskId, step)!;
          this.mailbox.decisions.delete(taskId);
          await db.closeTask(
            { taskId, status: 'decided', outcome: decision.outcome, reason: decision.reason, decidedBy: decision.decidedBy },
            this.event('task-decided', id, { taskId, outcome: decision.outcome, decidedBy: decision.decidedBy }),
          );
          closed = true;
          if (step.saveAs) this.state.facts[step.saveAs] = { outcome: decision.outcome, reason: decision.reason ?? null };
          return { next: step.outcomes[decision.outcome]!.next };
        }
        if (step.escalation && !escalated) {
          escalated = true;
          role = step.escalation.role;
          dueAt = resolveDeadline(step.escalation.due, now(), this.calendar);
          this.mailbox.openTasks.set(taskId, view());
          await db.escalateTask({ taskId, role, ...this.scopeOf(step.escalation.scope), dueAt: isoAt(dueAt) },
            this.event('task-escalated', id, { taskId, role, dueAt: isoAt(dueAt) }));
          continue;
        }
        await db.closeTask({ taskId, status: 'expired' }, this.event('task-overdue', id, { taskId }));
        closed = true;
        return { next: step.onOverdue };
      }
    } finally {
      this.mailbox.openTasks.delete(taskId);
      if (!closed) {
        // The application ended elsewhere (withdrawal, a failed parallel branch): clear the inbox.
        await CancellationScope.nonCancellable(() =>
          db.closeTask({ taskId, status: 'cancelled' }, this.event('task-cancelled', id, { taskId })));
      }
    }
  }

  /** A buffered decision for this task that names one of its outcomes, with a reason where required. */
  private validDecision(taskId: string, step: Extract<Step, { type: 'task' }>): TaskDecision | undefined {
    const decision = this.mailbox.decisions.get(taskId);
    if (!decision) return undefined;
    const outcome = step.outcomes[decision.outcome];
    if (!outcome || (outcome.requiresReason && !decision.reason?.trim())) {
      this.mailbox.decisions.delete(taskId);
      return undefined;
    }
    return decision;
  }

  private async parallel(_id: string, step: Extract<Step, { type: 'parallel' }>): Promise<Transition> {
    let ended: Ending | undefined;
    const scope = new CancellationScope();
    await scope.run(() => Promise.all(step.branches.map(async (branch) => {
      try {
        const end = await this.runFrom(branch, false);
        if (end && !ended) {
          ended = end;
          scope.cancel();
        }
      } catch (error) {
        if (!(ended && isCancellation(error))) throw error;
      }
    })));
    return ended ? { end: ended } : { next: step.next };
  }

  private async route(id: string, step: Extract<Step, { type: 'switch' }>): Promise<Transition> {
    const facts = factsAt(this.state.facts, now());
    const chosen = step.cases.find((c) => holds(c.when, facts));
    await db.recordEvent(this.event('route-chosen', id, { next: chosen?.next ?? step.default, matched: chosen?.when ?? null }));
    return { next: chosen?.next ?? step.default };
  }

  private async wait(id: string, step: Extract<Step, { type: 'wait' }>): Promise<Transition> {
    let until: number;
    if (step.until) {
      const value = String(evaluate(step.until, factsAt(this.state.facts, now())));
      until = parseIso(value);
      if (Number.isNaN(until)) throw new Error(`wait ${id}: "${value}" is not a date`);
    } else {
      until = resolveDeadline(step.delay!, now(), this.calendar);
    }
    await db.recordEvent(this.event('waiting', id, { until: isoAt(Math.max(until, now())) }));
    await sleep(Math.max(0, until - now()));
    return { next: step.next };
  }

  private async issue(id: string, step: Extract<Step, { type: 'issue' }>): Promise<Transition> {
    const kind = this.definition.licences[step.licence]!;
    const app = this.application();
    const applicant = (this.state.facts.applicant ?? {}) as Record<string, string>;
    const issuedAt = now();
    const validUntil = resolveDeadline(kind.validity, issuedAt, this.calendar);
    const dependsOn = step.dependsOn ? this.optional(step.dependsOn) : undefined;
    const { number } = await db.issueLicence({
      applicationId: this.applicationId, kind: step.licence, title: kind.title, licenceType: this.definition.id,
      numberPrefix: kind.numberPrefix, holderNationalCode: applicant.nationalCode ?? '', holder: applicant, county: app.county ?? '',
      province: app.province ?? '', issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil), definitionHash: this.definitionHash,
      dependsOn: typeof dependsOn === 'string' ? dependsOn : undefined, supersedes: step.supersedes,
    }, this.event('licence-issued', id, { kind: step.licence, validUntil: isoAt(validUntil) }));
    if (step.supersedes) await pokeOutbox();
    const licences = (this.state.facts.licences ?? {}) as Record<string, IssuedLicence>;
    licences[step.licence] = { number, kind: step.licence, issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil) };
    this.state.facts.licences = licences;
    for (const processId of kind.standing) {
      await this.hooks.startStanding(processId, {
        ...licences[step.licence]!, licenceType: this.definition.id, status: 'active',
        holderNationalCode: applicant.nationalCode ?? '', dependsOn: typeof dependsOn === 'string' ? dependsOn : null,
      });
    }
    return { next: step.next };
  }

  /** An expression's value, or undefined when it cannot be evaluated (a fact the process lacks). */
  private optional(expr: string): unknown {
    try {
      return evaluate(expr, factsAt(this.state.facts, now()));
    } catch {
      return undefined;
    }
  }

  private async notify(id: string, step: Extract<Step, { type: 'notify' }>): Promise<Transition> {
    const key = this.entryKey(id);
    const licences = Object.values((this.state.facts.licences ?? {}) as Record<string, IssuedLicence>);
    const latest = licences[licences.length - 1];
    // A lifecycle process is about one licence; an application, about the licence it issued last.
    const about = (this.state.facts.licence as { number?: string } | undefined)?.number ?? latest?.number;
    if (step.channel === 'portal') {
      await db.enqueueNotification({
        dedupeKey: key, subject: about ?? this.applicationId, event: step.event,
        payload: { applicationId: this.applicationId, licenceType: this.definition.id, event: step.event, licence: latest ?? null, licenceNumber: about ?? null, occurredAt: isoAt(now()) },
      }, this.event('portal-notified', id, { event: step.event }));
      await pokeOutbox();
      return { next: step.next };
    }
    const applicant = (this.state.facts.applicant ?? {}) as Record<string, string>;
    const sms = proxyActivities<RegistryActivities>({ startToCloseTimeout: '15s', retry: { maximumAttempts: 5, initialInterval: '2s' } });
    try {
      await sms.sendSms({ messageId: key, nationalCode: applicant.nationalCode ?? '', message: step.message?.fa ?? step.event });
      await db.recordEvent(this.event('sms-sent', id, { event: step.event }));
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // SMS is fire and forget: a failed message is recorded, the application goes on.
      await db.recordEvent(this.event('sms-failed', id, { event: step.event, error: error.cause?.message ?? error.message }));
    }
    return { next: step.next };
  }

  private async amend(id: string, step: Extract<Step, { type: 'amend' }>): Promise<Transition> {
    const licence = (this.state.facts.licence ?? {}) as { number: string; validUntil?: string };
    licenceNumberOf(this, id);
    let validUntil: string | undefined;
    if (step.action === 'renew') {
      const current = licence.validUntil ? parseIso(licence.validUntil) : now();
      validUntil = isoAt(resolveDeadline(step.validity!, Math.max(current, now()), this.calendar));
    }
    const change = (this.state.facts.change ?? {}) as Record<string, unknown>;
    const holder = step.action === 'transfer' ? newHolder(evaluate(step.holder!, factsAt(this.state.facts, now()))) : undefined;
    const result = await db.amendLicence(
      {
        number: licence.number, action: step.action, validUntil, applicationId: this.applicationId, grounds: typeof change.grounds === 'string' ? change.grounds : undefined,
        dependents: step.dependents, holder,
      },
      this.event('licence-amended', id, { number: licence.number, action: step.action, validUntil: validUntil ?? null }),
    );
    this.state.facts.licence = { ...licence, status: result.status, validUntil: result.validUntil, ...(result.applied && holder ? { holderNationalCode: holder.nationalCode } : {}) };
    if (step.saveAs) this.state.facts[step.saveAs] = { applied: result.applied, status: result.status, refusal: result.refusal ?? null };
    if (result.applied) await pokeOutbox();
    // Another change got there first (e.g. a revocation while a renewal waited for its site visit).
    if (!result.applied) return step.onRefused ? { next: step.onRefused } : { end: { outcome: 'rejected', reason: 'LICENCE_STATE_CHANGED', stepId: id } };
    return { next: step.next };
  }

  private async subprocess(id: string, step: Extract<Step, { type: 'subprocess' }>): Promise<Transition> {
    const { definition, hash } = await definitions.resolveDefinition(step.process, isoAt(now()));
    const facts = factsAt(this.state.facts, now());
    const input = Object.fromEntries(Object.entries(step.input).map(([name, expr]) => [name, evaluate(expr, facts)]));
    const applicant = step.applicant ? evaluate(step.applicant, facts) : undefined;
    const result = await this.hooks.startChild(id, definition, hash, input, { applicant, detach: step.detach });
    if (!result) return { next: step.next };
    if (step.saveAs) this.state.facts[step.saveAs] = result;
    if (result.outcome === 'approved') return { next: step.next };
    if (step.onFail) return { next: step.onFail };
    return { end: { outcome: result.outcome, reason: result.reason, stepId: id } };
  }
}
