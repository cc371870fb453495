/**
 * Benchmark baseline: the Welfare Services Centre process (processes/welfare-services-centre/v2.yaml)
 * written by hand as a plain Temporal workflow, without the DSL. It makes the same activity calls,
 * timeline events, task rows, inquiries and registry calls, in the same order, as the interpreter
 * does for that definition, so `npm run bench:process` can print what interpreting costs: the
 * one-centre claim, the standing processes started beside each licence issued (interpreted, as the
 * product starts them), the outbox pokes, deadlines as never-cancelled timers (workflows/timers.ts)
 * and the inquiries' retry policy. It writes its timeline as a lean run of the interpreter does,
 * with the same library (workflows/timeline.ts: an event with no write of its own goes with the
 * next write), and starts the standing processes as a lean run does (local activities, the
 * definition's hash alone). What it does not do is in docs/performance-process.md.
 *
 * Not part of the product: it lives beside the benchmark, and only scripts/bench-process/workflows.ts
 * bundles it. It is workflow code all the same, linted as workflows/ is. Kept in step with v2.yaml
 * by hand: a change there is not reflected here.
 */
import {
  ActivityFailure, CancellationScope, condition, isCancellation, proxyActivities, proxyLocalActivities, setHandler,
} from '@temporalio/workflow';
import type { TimelineEvent } from '../../activities/database.js';
import type { DefinitionActivities } from '../../activities/definitions.js';
import type { ProcessActivities } from '../../activities/processes.js';
import type { InquiryActivities } from '../../activities/inquiries.js';
import type { SmsActivities } from '../../activities/sms.js';
import { resolveDeadline, type Deadline, type HolidayCalendar } from '../../dsl/calendar.js';
import { ageOn } from '../../dsl/facts.js';
import { sameName } from '../../dsl/person-names.js';
import type { Text } from '../../dsl/schema.js';
import { DATABASE_RETRY } from '../../workflows/activity-options.js';
import { isoAt, now } from '../../workflows/clock.js';
import { pokeOutbox } from '../../workflows/outbox-poke.js';
import { Timeline } from '../../workflows/timeline.js';
import { conditionWithin } from '../../workflows/timers.js';
import {
  decisionSignal, registryAnswerSignal, stateQuery, withdrawSignal,
  type IssuedLicence, type LicenceProcessInput, type OpenTaskView, type PendingInquiryView, type ProcessOutcome,
  type ProcessResult, type ProcessState, type RegistryAnswer, type TaskDecision, type Withdrawal,
} from '../../domain/workflow-interfaces/licence-process.js';

const sms = proxyActivities<SmsActivities>({ startToCloseTimeout: '15s', retry: { maximumAttempts: 5, initialInterval: '2s' } });
/** Standing processes are looked up and started as local activities, by their definition's hash alone. */
const local = proxyLocalActivities<DefinitionActivities & ProcessActivities>({ startToCloseTimeout: '30s', retry: DATABASE_RETRY });

const PROCESS = {
  id: 'welfare-services-centre',
  version: 2,
  title: { fa: 'مرکز خدمات بهزیستی (مثبت زندگی)', en: 'Welfare Services Centre ("Mosbat-e Zendegi")' },
};

interface Ending {
  outcome: ProcessOutcome;
  reason: string;
  stepId: string;
}


type Scope = 'applicant-county' | 'applicant-province';
interface Outcome { name: string; title: Text; requiresReason: boolean }
interface TaskSpec {
  title: Text;
  role: string;
  scope: Scope;
  due: Deadline;
  outcomes: Outcome[];
  escalation?: { role: string; scope: Scope; due: Deadline };
}

const REJECT_FOR_NO_ANSWER: Outcome = { name: 'reject', title: { fa: 'رد به سبب نبود پاسخ', en: 'reject for want of an answer' }, requiresReason: true };
const ASK_AGAIN: Outcome = { name: 'ask-again', title: { fa: 'استعلام دوباره', en: 'ask again' }, requiresReason: false };

const TASKS = {
  'initial-interview': {
    title: { fa: 'مصاحبه اولیه و نیازسنجی شهرستان', en: 'county initial interview and needs assessment' },
    role: 'county-office', scope: 'applicant-county', due: { workingDays: 3 },
    escalation: { role: 'province-office', scope: 'applicant-province', due: { workingDays: 2 } },
    outcomes: [
      { name: 'accept', title: { fa: 'تأیید و ارسال پرونده به استان', en: 'accept and send the file to the province' }, requiresReason: false },
      { name: 'reject', title: { fa: 'رد در مصاحبه', en: 'reject at the interview' }, requiresReason: true },
    ],
  },
  'security-clearance-overdue': {
    title: { fa: 'پیگیری تأخیر حراست', en: 'follow up the late security clearance' },
    role: 'province-office', scope: 'applicant-province', due: { days: 10 }, outcomes: [ASK_AGAIN, REJECT_FOR_NO_ANSWER],
  },
  'criminal-record-overdue': {
    title: { fa: 'پیگیری تأخیر سوء پیشینه', en: 'follow up the late criminal record' },
    role: 'province-office', scope: 'applicant-province', due: { days: 10 }, outcomes: [ASK_AGAIN, REJECT_FOR_NO_ANSWER],
  },
  'province-decision': {
    title: { fa: 'تصمیم استان درباره موافقت اصولی', en: 'province decision on the principle agreement' },
    role: 'province-office', scope: 'applicant-province', due: { workingDays: 7 },
    outcomes: [
      { name: 'approve', title: { fa: 'صدور موافقت اصولی', en: 'issue the principle agreement' }, requiresReason: false },
      { name: 'reject', title: { fa: 'رد درخواست', en: 'reject the application' }, requiresReason: true },
    ],
  },
  'site-visit': {
    title: { fa: 'بازدید کارشناسی شهرستان از محل', en: 'county site visit of the premises' },
    role: 'county-office', scope: 'applicant-county', due: { months: 12 },
    outcomes: [
      { name: 'compliant', title: { fa: 'محل، تجهیزات و کارکنان مطابق ضوابط است', en: 'premises, equipment and staff comply' }, requiresReason: false },
      { name: 'non-compliant', title: { fa: 'عدم انطباق با ضوابط', en: 'does not comply' }, requiresReason: true },
    ],
  },
  'registry-unavailable': {
    title: { fa: 'پاسخ نگرفتن از سامانه استعلام', en: 'a registry did not answer' },
    role: 'county-office', scope: 'applicant-county', due: { workingDays: 5 }, outcomes: [REJECT_FOR_NO_ANSWER],
  },
} satisfies Record<string, TaskSpec>;

const LICENCES = {
  'principle-agreement': { title: { fa: 'موافقت اصولی', en: 'principle agreement' }, validity: { months: 12 }, numberPrefix: 'WSC-PA', standing: ['licence-expiry'] },
  'activity-licence': {
    title: { fa: 'پروانه فعالیت', en: 'activity licence' }, validity: { months: 60 }, numberPrefix: 'WSC-AL',
    standing: ['welfare-activity-licence-term', 'centre-staff-insurance'],
  },
} satisfies Record<string, { title: Text; validity: Deadline; numberPrefix: string; standing: string[] }>;

const SMS = {
  'principle-agreement-issued': 'موافقت اصولی مرکز شما صادر شد. پس از آماده‌سازی محل، فضا و کارکنان، بازدید شهرستان انجام می‌شود.',
  'activity-licence-issued': 'پروانه فعالیت مرکز شما صادر شد.',
};

type Answer = Record<string, unknown>;
type LateInquiry = { stepId: string; saveAs: string; policy: 'record' | 'apply' };

/** One application's run: the state the interpreter keeps, in plain fields. */
class WelfareCentre {
  seq = 0;
  readonly entries: Record<string, number> = {};
  readonly answers: Record<string, Answer> = {};
  readonly licences: Record<string, IssuedLicence> = {};
  readonly decisions = new Map<string, TaskDecision>();
  readonly received = new Map<string, RegistryAnswer>();
  readonly late = new Map<string, LateInquiry>();
  readonly lateQueue: RegistryAnswer[] = [];
  readonly currentSteps = new Set<string>();
  readonly openTasks = new Map<string, OpenTaskView>();
  readonly pendingInquiries = new Map<string, PendingInquiryView>();
  readonly applicant: Record<string, unknown>;
  readonly application: Record<string, string>;
  readonly calendar: HolidayCalendar;
  /**
   * The database activities, writing the timeline as the product's library does: an event with no
   * write of its own waits for the next write, or for the workflow's next wait (workflows/timeline.ts).
   */
  readonly timeline = new Timeline(true);
  readonly db = this.timeline.db;

  constructor(readonly applicationId: string, readonly input: LicenceProcessInput) {
    this.applicant = (input.facts.applicant ?? {}) as Record<string, unknown>;
    this.application = (input.facts.application ?? {}) as Record<string, string>;
    this.calendar = input.calendar;
  }

  event(kind: string, stepId: string | undefined, detail: Record<string, unknown> = {}, currentStep?: string | null): TimelineEvent {
    this.seq += 1;
    return { applicationId: this.applicationId, seq: this.seq, kind, stepId, detail, occurredAt: isoAt(now()), currentStep };
  }

  private entryKey(stepId: string): string {
    return `${this.applicationId}.${stepId}.${this.entries[stepId]}`;
  }

  private get nationalCode(): string {
    return String(this.applicant.nationalCode ?? '');
  }

  /** Enters a step: counts the entry, records `step-started`, shows it as current while it runs. */
  private async step<T>(stepId: string, type: string, body: () => Promise<T>): Promise<T> {
    this.entries[stepId] = (this.entries[stepId] ?? 0) + 1;
    this.currentSteps.add(stepId);
    try {
      await this.db.recordEvent(this.event('step-started', stepId, { type, entry: this.entries[stepId] }, stepId));
      return await body();
    } finally {
      this.currentSteps.delete(stepId);
    }
  }

  private end(stepId: string, outcome: ProcessOutcome, reason: string): Promise<Ending> {
    return this.step(stepId, 'end', async () => ({ outcome, reason, stepId }));
  }

  /** A check step: the first failed rule (true = failed) rejects the application. */
  private check(stepId: string, rules: [failed: () => boolean, reason: string, message: Text][]): Promise<Ending | undefined> {
    return this.step(stepId, 'check', async () => {
      const failed = rules.find(([fails]) => fails());
      if (!failed) return undefined;
      const [, reason, message] = failed;
      await this.db.recordEvent(this.event('rule-failed', stepId, { reason, message }));
      return { outcome: 'rejected' as const, reason, stepId };
    });
  }

  /** An inquiry step; true when the registry answered before the deadline. */
  private inquire(stepId: string, registry: string, opts: { timeout: Deadline; saveAs: string; purpose?: Text; lateAnswer?: 'record' | 'apply' }): Promise<boolean> {
    return this.step(stepId, 'inquire', async () => {
      const inquiryId = this.entryKey(stepId);
      const deadline = resolveDeadline(opts.timeout, now(), this.calendar);
      const registries = proxyActivities<InquiryActivities>({
        startToCloseTimeout: '30s',
        scheduleToCloseTimeout: Math.max(1000, deadline - now()),
        // The product's policy for every registry (workflows/steps/inquire.ts): no attempt limit, bounded by the deadline.
        retry: { backoffCoefficient: 2, initialInterval: 5000, maximumInterval: 3600 * 1000, nonRetryableErrorTypes: ['InquiryRefused'] },
      });
      this.pendingInquiries.set(inquiryId, { inquiryId, stepId, registry, deadlineAt: isoAt(deadline) });
      try {
        let answer: Answer | undefined;
        try {
          const outcome = await registries.sendInquiry({
            inquiryId, applicationId: this.applicationId, stepId, registry, nationalCode: this.nationalCode, purpose: opts.purpose, deadlineAt: isoAt(deadline),
            requestedBy: `${PROCESS.id}@v${PROCESS.version}#${stepId}`,
          });
          if (outcome.status === 'answered') answer = outcome.answer;
          else if (await conditionWithin(() => this.received.has(inquiryId), deadline - now())) {
            answer = this.received.get(inquiryId)!.answer;
            this.received.delete(inquiryId);
          }
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          await this.db.recordEvent(this.event('inquiry-failed', stepId, { inquiryId, registry, error: error.cause?.message ?? error.message }));
        }
        if (answer) {
          this.answers[opts.saveAs] = answer;
          await this.db.recordEvent(this.event('inquiry-answered', stepId, { inquiryId, registry }));
          return true;
        }
        const lateAnswer = opts.lateAnswer ?? 'record';
        this.late.set(inquiryId, { stepId, saveAs: opts.saveAs, policy: lateAnswer });
        await this.db.markInquiryTimedOut(inquiryId, this.event('inquiry-timed-out', stepId, { inquiryId, registry, lateAnswer }));
        return false;
      } finally {
        this.pendingInquiries.delete(inquiryId);
      }
    });
  }

  receiveAnswer(answer: RegistryAnswer): void {
    if (this.late.has(answer.inquiryId)) this.lateQueue.push(answer);
    else if (!this.received.has(answer.inquiryId)) this.received.set(answer.inquiryId, answer);
  }

  async handleLateAnswer(answer: RegistryAnswer): Promise<void> {
    const late = this.late.get(answer.inquiryId);
    if (!late) return;
    this.late.delete(answer.inquiryId);
    if (late.policy === 'apply') this.answers[late.saveAs] = answer.answer;
    await this.db.recordEvent(this.event(late.policy === 'apply' ? 'late-answer-applied' : 'late-answer-recorded', late.stepId, { inquiryId: answer.inquiryId }));
  }

  private scopeOf(scope: Scope): { county: string | null; province: string | null } {
    if (scope === 'applicant-county') return { county: this.application.county ?? null, province: this.application.province ?? null };
    return { county: null, province: this.application.province ?? null };
  }

  private validDecision(taskId: string, outcomes: Outcome[]): TaskDecision | undefined {
    const decision = this.decisions.get(taskId);
    if (!decision) return undefined;
    const outcome = outcomes.find((o) => o.name === decision.outcome);
    if (!outcome || (outcome.requiresReason && !decision.reason?.trim())) {
      this.decisions.delete(taskId);
      return undefined;
    }
    return decision;
  }

  /** A task step: the office's decision, or undefined when it fell overdue (after any escalation). */
  private task(stepId: keyof typeof TASKS): Promise<TaskDecision | undefined> {
    const spec: TaskSpec = TASKS[stepId];
    return this.step(stepId, 'task', async () => {
      const taskId = this.entryKey(stepId);
      let role = spec.role;
      let dueAt = resolveDeadline(spec.due, now(), this.calendar);
      await this.db.openTask(
        { taskId, applicationId: this.applicationId, stepId, title: spec.title, role, ...this.scopeOf(spec.scope), outcomes: spec.outcomes, dueAt: isoAt(dueAt) },
        this.event('task-opened', stepId, { taskId, role, dueAt: isoAt(dueAt) }),
      );
      const view = (): OpenTaskView => ({ taskId, stepId, role, dueAt: isoAt(dueAt), outcomes: spec.outcomes.map((o) => o.name) });
      this.openTasks.set(taskId, view());
      let closed = false;
      try {
        let escalated = false;
        for (;;) {
          if (await conditionWithin(() => this.validDecision(taskId, spec.outcomes) !== undefined, dueAt - now())) {
            const decision = this.validDecision(taskId, spec.outcomes)!;
            this.decisions.delete(taskId);
            await this.db.closeTask(
              { taskId, status: 'decided', outcome: decision.outcome, reason: decision.reason, decidedBy: decision.decidedBy },
              this.event('task-decided', stepId, { taskId, outcome: decision.outcome, decidedBy: decision.decidedBy }),
            );
            closed = true;
            return decision;
          }
          if (spec.escalation && !escalated) {
            escalated = true;
            role = spec.escalation.role;
            dueAt = resolveDeadline(spec.escalation.due, now(), this.calendar);
            this.openTasks.set(taskId, view());
            await this.db.escalateTask({ taskId, role, ...this.scopeOf(spec.escalation.scope), dueAt: isoAt(dueAt) },
              this.event('task-escalated', stepId, { taskId, role, dueAt: isoAt(dueAt) }));
            continue;
          }
          await this.db.closeTask({ taskId, status: 'expired' }, this.event('task-overdue', stepId, { taskId }));
          closed = true;
          return undefined;
        }
      } finally {
        this.openTasks.delete(taskId);
        if (!closed) {
          await CancellationScope.nonCancellable(() =>
            this.db.closeTask({ taskId, status: 'cancelled' }, this.event('task-cancelled', stepId, { taskId })));
        }
      }
    });
  }

  private issue(stepId: string, kind: keyof typeof LICENCES): Promise<void> {
    return this.step(stepId, 'issue', async () => {
      const licence = LICENCES[kind];
      const issuedAt = now();
      const validUntil = resolveDeadline(licence.validity, issuedAt, this.calendar);
      const { number } = await this.db.issueLicence({
        applicationId: this.applicationId, kind, title: licence.title, licenceType: PROCESS.id,
        numberPrefix: licence.numberPrefix, holderNationalCode: this.nationalCode, holder: this.applicant, county: this.application.county ?? '',
        province: this.application.province ?? '', issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil), definitionHash: this.input.definitionHash,
      }, this.event('licence-issued', stepId, { kind, validUntil: isoAt(validUntil) }));
      this.licences[kind] = { number, kind, issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil) };
      for (const processId of licence.standing) await this.startStanding(processId, this.licences[kind]);
    });
  }

  /**
   * A standing process beside a licence just issued: its application row, then its workflow (as
   * licence-process.ts). Which version is in effect is looked up, not its content; the process
   * looks its definition up by the hash.
   */
  private async startStanding(processId: string, licence: IssuedLicence): Promise<void> {
    const { hash, ...definition } = await local.definitionInEffect(processId, isoAt(now()));
    const childId = `licence-${licence.number}.${processId}`;
    const facts = {
      applicant: this.input.facts.applicant,
      application: { ...this.application, id: childId, parentId: this.applicationId, licenceType: definition.id },
      licence: {
        ...licence, licenceType: PROCESS.id, status: 'active', holderNationalCode: this.nationalCode, dependsOn: null,
        changesInProgress: [], dependents: [],
      },
    };
    await this.db.registerChildApplication(
      { parentId: this.applicationId, childId, licenceType: definition.id, definitionVersion: definition.version, definitionHash: hash, facts },
      this.event('standing-process-started', undefined, { childId, process: definition.id, version: definition.version, licence: licence.number }),
    );
    await local.startDetachedProcess({ applicationId: childId, definitionHash: hash, calendar: this.calendar, facts });
  }

  /** `one-centre-per-person`: a natural person's claim on the one centre licence they may hold. */
  private oneCentrePerPerson(): Promise<Ending | undefined> {
    const stepId = 'one-centre-per-person';
    return this.step(stepId, 'check', async () => {
      if (this.application.holderType === 'legal') {
        await this.db.recordEvent(this.event('claim-not-needed', stepId, { holding: PROCESS.id }));
        return undefined;
      }
      const { granted } = await this.db.claimHolding(
        { holding: PROCESS.id, holder: this.nationalCode, applicationId: this.applicationId },
        this.event('holding-claimed', stepId, { holding: PROCESS.id }),
      );
      if (granted) return undefined;
      const reason = 'ONE_CENTRE_LICENCE_PER_PERSON';
      const message = {
        fa: 'شخص حقیقی فقط می‌تواند دارنده یک پروانه مرکز باشد و درخواست یا پروانه دیگری دارد',
        en: 'a natural person may hold only one centre licence, and this one already has an application or licence',
      };
      await this.db.recordEvent(this.event('rule-failed', stepId, { reason, message }));
      return { outcome: 'rejected' as const, reason, stepId };
    });
  }

  private portal(stepId: string, event: string): Promise<void> {
    return this.step(stepId, 'notify', async () => {
      const latest = Object.values(this.licences).at(-1);
      await this.db.enqueueNotification({
        dedupeKey: this.entryKey(stepId), subject: latest?.number ?? this.applicationId, event,
        payload: { applicationId: this.applicationId, licenceType: PROCESS.id, event, licence: latest ?? null, licenceNumber: latest?.number ?? null, occurredAt: isoAt(now()) },
      }, this.event('portal-notified', stepId, { event }));
      await pokeOutbox();
    });
  }

  private sms(stepId: string, event: keyof typeof SMS): Promise<void> {
    return this.step(stepId, 'notify', async () => {
      try {
        await sms.sendSms({ messageId: this.entryKey(stepId), nationalCode: this.nationalCode, message: SMS[event] });
        await this.db.recordEvent(this.event('sms-sent', stepId, { event }));
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        await this.db.recordEvent(this.event('sms-failed', stepId, { event, error: error.cause?.message ?? error.message }));
      }
    });
  }

  /** `registry-unavailable`: the county can only reject; overdue rejects as well. */
  private async registryUnavailable(): Promise<Ending> {
    await this.task('registry-unavailable');
    return this.end('rejected-no-inquiry-answer', 'rejected', 'INQUIRY_NOT_ANSWERED');
  }

  /** An asynchronous vetting inquiry, asked again while the province says so. */
  private async vettingInquiry(stepId: 'security-clearance' | 'criminal-record', saveAs: string, purpose?: Text): Promise<Ending | undefined> {
    for (;;) {
      if (await this.inquire(stepId, stepId, { timeout: { days: 20 }, saveAs, purpose, lateAnswer: 'apply' })) return undefined;
      const followUp = await this.task(`${stepId}-overdue`);
      if (followUp?.outcome === 'reject') return this.end('rejected-no-clearance', 'rejected', 'CLEARANCE_NOT_ANSWERED');
    }
  }

  /** The three vetting inquiries in parallel; the first branch that ends the application cancels the others. */
  private vetting(): Promise<Ending | undefined> {
    return this.step('vetting', 'parallel', async () => {
      let ended: Ending | undefined;
      const scope = new CancellationScope();
      const branches: (() => Promise<Ending | undefined>)[] = [
        () => this.vettingInquiry('security-clearance', 'security', { fa: 'صلاحیت صاحب امتیاز مرکز', en: 'competence of the centre\'s licence holder' }),
        () => this.vettingInquiry('criminal-record', 'criminal'),
        async () => (await this.inquire('addiction', 'addiction', { timeout: { workingDays: 10 }, saveAs: 'addiction' })) ? undefined : this.registryUnavailable(),
      ];
      await scope.run(() => Promise.all(branches.map(async (branch) => {
        try {
          const end = await branch();
          if (end && !ended) {
            ended = end;
            scope.cancel();
          }
        } catch (error) {
          if (!(ended && isCancellation(error))) throw error;
        }
      })));
      return ended;
    });
  }

  private field(saveAs: string, ...path: string[]): unknown {
    let value: unknown = this.answers[saveAs];
    for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  }

  /** The process, step by step, as v2.yaml defines it. */
  async run(): Promise<Ending> {
    let end = await this.check('eligibility', [
      [() => !((ageOn(String(this.applicant.birthDate ?? ''), now()) ?? -1) >= 25), 'AGE_BELOW_MINIMUM', { fa: 'سن متقاضی کمتر از ۲۵ سال است', en: 'the applicant is younger than 25' }],
      [() => this.applicant.religionRecognised !== true, 'RELIGION_NOT_RECOGNISED', { fa: 'دین متقاضی از ادیان رسمی نیست', en: 'the applicant\'s religion is not an officially recognised one' }],
    ]);
    if (end) return end;
    end = await this.oneCentrePerPerson();
    if (end) return end;

    if (!(await this.inquire('civil-registry', 'civil-registry', {
      timeout: { workingDays: 10 }, saveAs: 'civil',
      purpose: { fa: 'احراز هویت متقاضی پروانه', en: 'identity of the licence applicant' },
    }))) return this.registryUnavailable();

    end = await this.check('identity', [
      [() => this.field('civil', 'found') !== undefined && this.field('civil', 'found') !== true, 'IDENTITY_NOT_FOUND', { fa: 'کد ملی در ثبت احوال یافت نشد', en: 'the national code is unknown to the civil registry' }],
      [() => !(sameName(String(this.applicant.firstName ?? ''), String(this.field('civil', 'firstName') ?? '')) && sameName(String(this.applicant.lastName ?? ''), String(this.field('civil', 'lastName') ?? ''))),
        'CIVIL_REGISTRY_NAME_MISMATCH', { fa: 'نام یا نام خانوادگی متقاضی با ثبت احوال یکسان نیست', en: 'the applicant\'s first or last name differs from the civil registry\'s record' }],
      [() => this.applicant.birthDate !== this.field('civil', 'birthDate'), 'CIVIL_REGISTRY_BIRTH_DATE_MISMATCH', { fa: 'تاریخ تولد متقاضی با ثبت احوال یکسان نیست', en: 'the applicant\'s birth date differs from the civil registry\'s record' }],
      [() => this.field('civil', 'alive') !== true, 'APPLICANT_DECEASED', { fa: 'متقاضی در قید حیات نیست', en: 'the applicant is deceased' }],
      [() => this.field('civil', 'citizenship') !== 'IR', 'NOT_IRANIAN_CITIZEN', { fa: 'متقاضی تبعه ایران نیست', en: 'the applicant is not an Iranian citizen' }],
    ]);
    if (end) return end;

    const male = await this.step('military-route', 'switch', async () => {
      const isMale = this.field('civil', 'sex') === 'male';
      await this.db.recordEvent(this.event('route-chosen', 'military-route', isMale
        ? { next: 'military-service', matched: 'civil.sex == "male"' }
        : { next: 'higher-education', matched: null }));
      return isMale;
    });
    if (male) {
      if (!(await this.inquire('military-service', 'military-service', { timeout: { workingDays: 10 }, saveAs: 'military' }))) return this.registryUnavailable();
      end = await this.check('military-status', [
        [() => !['served', 'exempt'].includes(String(this.field('military', 'status'))), 'MILITARY_SERVICE_UNRESOLVED', { fa: 'متقاضی کارت پایان خدمت یا معافیت ندارد', en: 'the applicant has neither served nor been exempted' }],
      ]);
      if (end) return end;
    }

    if (!(await this.inquire('higher-education', 'higher-education', { timeout: { workingDays: 10 }, saveAs: 'education' }))) return this.registryUnavailable();
    end = await this.check('degree', [
      [() => !['bachelor', 'master', 'phd'].includes(String(this.field('education', 'highest', 'level'))), 'DEGREE_BELOW_BACHELOR', { fa: 'مدرک تحصیلی متقاضی کمتر از کارشناسی است', en: 'the applicant holds less than a bachelor\'s degree' }],
    ]);
    if (end) return end;

    for (;;) {
      const interview = await this.task('initial-interview');
      if (interview?.outcome === 'reject') return this.end('rejected-at-interview', 'rejected', 'REJECTED_AT_INTERVIEW');
      if (interview) break;
      await this.portal('interview-overdue', 'decision-overdue');
    }

    end = await this.vetting();
    if (end) return end;
    end = await this.check('vetting-result', [
      [() => this.field('security', 'status') !== 'clear', 'SECURITY_CLEARANCE_DENIED', { fa: 'تأییدیه حراست صادر نشد', en: 'the security office did not clear the applicant' }],
      [() => this.field('criminal', 'status') !== 'clear', 'CRIMINAL_RECORD', { fa: 'متقاضی سوء پیشینه کیفری دارد', en: 'the applicant has a criminal record' }],
      [() => this.field('addiction', 'status') !== 'negative', 'ADDICTION_TEST_POSITIVE', { fa: 'آزمایش اعتیاد مثبت است', en: 'the addiction test is positive' }],
    ]);
    if (end) return end;

    for (;;) {
      const decision = await this.task('province-decision');
      if (decision?.outcome === 'reject') return this.end('rejected-by-province', 'rejected', 'REJECTED_BY_PROVINCE');
      if (decision) break;
      await this.portal('province-decision-overdue', 'decision-overdue');
    }

    await this.issue('principle-agreement', 'principle-agreement');
    await this.portal('principle-agreement-notice', 'principle-agreement-issued');
    await this.sms('principle-agreement-sms', 'principle-agreement-issued');

    const visit = await this.task('site-visit');
    if (!visit) return this.end('principle-agreement-lapsed', 'rejected', 'PRINCIPLE_AGREEMENT_LAPSED');
    if (visit.outcome === 'non-compliant') return this.end('rejected-premises', 'rejected', 'PREMISES_NOT_COMPLIANT');

    await this.issue('activity-licence', 'activity-licence');
    await this.portal('activity-licence-notice', 'activity-licence-issued');
    await this.sms('activity-licence-sms', 'activity-licence-issued');
    return this.end('approved', 'approved', 'ACTIVITY_LICENCE_ISSUED');
  }
}

/** The Welfare Services Centre process, hand-written; started with the same input as `licenceProcess`. */
export async function welfareCentreHandwritten(input: LicenceProcessInput): Promise<ProcessResult> {
  const { applicationId, definitionHash } = input;
  const run = new WelfareCentre(applicationId, input);
  let withdrawal: Withdrawal | undefined;
  let ending: Ending | undefined;
  const main = new CancellationScope();

  setHandler(decisionSignal, (decision) => { run.decisions.set(decision.taskId, decision); });
  setHandler(registryAnswerSignal, (answer) => { run.receiveAnswer(answer); });
  setHandler(withdrawSignal, (w) => {
    if (!withdrawal && !ending) {
      withdrawal = w;
      main.cancel();
    }
  });
  setHandler(stateQuery, (): ProcessState => ({
    applicationId,
    definition: { id: PROCESS.id, version: PROCESS.version, hash: definitionHash, title: PROCESS.title },
    status: ending?.outcome ?? 'running',
    currentSteps: [...run.currentSteps],
    openTasks: [...run.openTasks.values()],
    pendingInquiries: [...run.pendingInquiries.values()],
    reason: ending?.reason,
    runs: 1,
  }));

  await run.db.recordEvent(run.event('process-started', undefined, { definition: PROCESS.id, version: PROCESS.version, hash: definitionHash }));
  void (async () => {
    for (;;) {
      await condition(() => run.lateQueue.length > 0);
      await run.handleLateAnswer(run.lateQueue.shift()!);
    }
  })();

  try {
    ending = await main.run(() => run.run());
  } catch (error) {
    if (!(withdrawal && isCancellation(error))) throw error;
    ending = { outcome: 'withdrawn', reason: 'WITHDRAWN_BY_APPLICANT', stepId: [...run.currentSteps][0] ?? 'unknown' };
  }
  const final = ending;
  await CancellationScope.nonCancellable(() => run.db.finishApplication(
    { applicationId, outcome: final.outcome, reason: final.reason, stepId: final.stepId },
    run.event(`application-${final.outcome}`, final.stepId, { reason: final.reason, ...(withdrawal ? { requestedBy: withdrawal.requestedBy, note: withdrawal.reason } : {}) }, final.stepId),
  ));
  await CancellationScope.nonCancellable(pokeOutbox);
  return { ...final, licences: run.licences };
}
