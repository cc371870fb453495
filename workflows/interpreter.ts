/**
 * The DSL interpreter: runs any licence-process definition step by step, deterministically.
 * Every transition is written to PostgreSQL through (local) activities; human decisions and
 * late registry answers arrive as signals held in the `Mailbox`.
 */
import type { DatabaseActivities, TimelineEvent } from '../activities/database.js';
import type { HolidayCalendar } from '../dsl/calendar.js';
import { refusalOf } from '../dsl/change-rules.js';
import type { Reckoning } from '../dsl/expressions.js';
import type { ProcessDefinition, Step } from '../dsl/schema.js';
import { PROCESS_FAULT, type RegistryAnswer } from '../domain/workflow-interfaces/licence-process.js';
import { faults } from './activity-options.js';
import { isoAt, now } from './clock.js';
import type { Ending, InterpreterHooks, InterpreterState, StepContext, Transition } from './steps/context.js';
import { ExpressionFault } from './steps/evaluation.js';
import { runStep } from './steps/index.js';
import { handleLateAnswer } from './steps/inquire.js';
import { afterWaiting } from './steps/refresh.js';
import { Timeline } from './timeline.js';
import type { Mailbox } from './steps/mailbox.js';

export type { Ending, InterpreterHooks, InterpreterState, StandingLicence } from './steps/context.js';
export { Mailbox } from './steps/mailbox.js';

/** Where the timeline places a change's rules: before the first step, under the `change` section's name. */
const CHANGE_RULES = 'change';

/** Runs a definition's steps in order, each by its kind's runner (`steps/`), as their `StepContext`. */
export class Interpreter implements StepContext {
  constructor(
    readonly applicationId: string,
    readonly definition: ProcessDefinition,
    readonly definitionHash: string,
    readonly calendar: HolidayCalendar,
    readonly state: InterpreterState,
    readonly mailbox: Mailbox,
    readonly reckoning: Reckoning,
    readonly hooks: InterpreterHooks,
    readonly timeline: Timeline = new Timeline(false),
  ) {}

  get db(): DatabaseActivities {
    return this.timeline.db;
  }

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
    const failed = refusalOf(this.definition.change, this.state.facts, now(), this.reckoning);
    if (!failed) return undefined;
    await this.db.recordEvent(this.event('rule-failed', CHANGE_RULES, { reason: failed.reason, message: failed.message, ...(failed.field ? { field: failed.field } : {}) }));
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
      await this.db.recordEvent(this.event('step-started', id, { type: step.type, entry: this.state.entries[id] }, id));
      let transition: Transition;
      try {
        transition = await runStep(this, id, step);
      } catch (error) {
        // Only a fault of the file's expressions ends the application here; cancellations and
        // Temporal's own failures go on up as before.
        if (!(error instanceof ExpressionFault)) throw error;
        transition = { end: await this.fail(error) };
      } finally {
        this.mailbox.currentSteps.delete(id);
      }
      if (transition.end) return transition.end;
      if (transition.next && (step.type === 'wait' || step.type === 'task')) await afterWaiting(this, id);
      id = transition.next;
    }
    return undefined;
  }

  /**
   * An expression the step could not evaluate: the operators are alerted and the application ends
   * `failed`, instead of the workflow task failing and being retried forever with no reason given.
   */
  private async fail(fault: ExpressionFault): Promise<Ending> {
    const { stepId, field, expression, problem } = fault;
    // The fault's activity writes its own event: the ones kept before it go first.
    await this.timeline.written();
    await this.timeline.run(() => faults.reportProcessFault(
      { applicationId: this.applicationId, definition: this.definition.id, version: this.definition.version, stepId, field, expression, problem },
      this.event('expression-failed', stepId, { field, expression, problem }),
    ));
    return { outcome: 'failed', reason: PROCESS_FAULT, stepId };
  }

  local<T>(call: () => Promise<T>): Promise<T> {
    return this.timeline.run(call);
  }

  entryKey(stepId: string): string {
    return `${this.applicationId}.${stepId}.${this.state.entries[stepId]}`;
  }

  /** Handles an answer that arrived after its inquiry's deadline, by the step's policy. */
  handleLateAnswer(answer: RegistryAnswer): Promise<void> {
    return handleLateAnswer(this, answer);
  }
}
