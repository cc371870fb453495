/**
 * A supervisor's order to move a running application to a newer version of its definition (the
 * `migrate` update). It is taken only while the application waits at a step (`Mailbox.settled`)
 * and only as `planMigration` allows. Then the open task leaves the inbox, the run is cancelled as
 * a withdrawal cancels it, the migration is recorded, and the process continues as new on the
 * target definition from the mapped step, with its facts, timeline and entry counts.
 */
import { ApplicationFailure, condition } from '@temporalio/workflow';
import type * as MigrationPlanning from '../dsl/migration.js';
import type { StepMove } from '../dsl/migration.js';
import {
  MIGRATION_FAILURES, type LateInquiry, type LicenceProcessInput, type MigrationOrder, type MigrationResult,
} from '../domain/workflow-interfaces/licence-process.js';
import { isoAt, now } from './clock.js';
import type { Interpreter } from './interpreter.js';

declare const require: (id: string) => unknown;
let planning: typeof MigrationPlanning | undefined;

/**
 * `planMigration`, loaded on its first use. It checks the target definition's steps by their
 * kinds (dsl/steps), and those modules build the language's zod schemas when they are evaluated.
 * Each workflow evaluates its modules anew (the worker gives every workflow its own module
 * cache), so a static import cost every application, child and standing process some 20-50 ms of
 * CPU at its start, for an order that almost none receive. Webpack bundles the `require` and
 * evaluates it here; a module's evaluation is deterministic, so replay is unaffected.
 */
function planMigration(...args: Parameters<typeof MigrationPlanning.planMigration>): ReturnType<typeof MigrationPlanning.planMigration> {
  planning ??= require('../dsl/migration.js') as typeof MigrationPlanning;
  return planning.planMigration(...args);
}

interface Accepted {
  order: MigrationOrder;
  moves: StepMove[];
  resumeAt: string;
  cancelledTasks: string[];
  /** The inquiries the migrated step asks again; an answer to the old one is only recorded. */
  reasked: LateInquiry[];
}

const busy = (message: string) => ApplicationFailure.create({ type: MIGRATION_FAILURES.busy, message, nonRetryable: true });
const ended = () => ApplicationFailure.create({ type: MIGRATION_FAILURES.ended, message: 'the application has ended', nonRetryable: true });

/** The migrations of one run: at most one at a time, and the run ends with it. */
export class Migrations {
  private accepted?: Accepted;
  private cancelled = false;
  private outcome?: { result: MigrationResult } | { failure: ApplicationFailure };

  constructor(
    private readonly interpreter: Interpreter,
    /** False once the application ends, is withdrawn or refused by its call. */
    private readonly running: () => boolean,
    private readonly cancelRun: () => void,
  ) {}

  /** True once a migration has cancelled the run: the run continues as new instead of ending. */
  get pending(): boolean {
    return this.cancelled && this.outcome === undefined;
  }

  /** The update's validator: refuses, changing nothing, a migration that is not allowed now. */
  validate(order: MigrationOrder): void {
    this.judge(order);
  }

  /** The update's handler: takes the tasks from the inbox, stops the run, answers once recorded. */
  async order(order: MigrationOrder): Promise<MigrationResult> {
    const { moves, resumeAt } = this.judge(order);
    const { mailbox, definition } = this.interpreter;
    const cancelledTasks = [...mailbox.openTasks.keys()];
    const reasked = [...mailbox.pendingInquiries.values()].map((i): LateInquiry => {
      const step = definition.steps[i.stepId];
      return { inquiryId: i.inquiryId, stepId: i.stepId, saveAs: step?.type === 'inquire' ? step.saveAs : i.stepId, policy: 'record' };
    });
    this.accepted = { order, moves, resumeAt, cancelledTasks, reasked };
    if (cancelledTasks.length > 0) {
      const held = await this.interpreter.db.holdTasksForMigration({ taskIds: cancelledTasks, at: isoAt(now()) });
      if (!held.held) {
        this.accepted = undefined;
        throw busy(`a decision on task ${held.taskId} is on its way to the process; try again once it has arrived`);
      }
    }
    if (this.outcome && 'failure' in this.outcome) throw this.outcome.failure;
    this.cancelled = true;
    this.cancelRun();
    await condition(() => this.outcome !== undefined);
    if ('failure' in this.outcome!) throw this.outcome.failure;
    return this.outcome!.result;
  }

  /**
   * After the cancelled run: records the migration (the application's pin, the definition, the
   * audit entry, the event) and gives the input to continue as new with.
   */
  async apply(input: LicenceProcessInput, runs: number): Promise<LicenceProcessInput> {
    const { order, moves, resumeAt, cancelledTasks, reasked } = this.accepted!;
    const { applicationId, definition, definitionHash, mailbox, state } = this.interpreter;
    await condition(() => mailbox.lateQueue.length === 0);
    const { target } = order;
    const from = { version: definition.version, hash: definitionHash };
    const to = { version: target.definition.version, hash: target.hash };
    const result: MigrationResult = { applicationId, from, to, moves, resumeAt, cancelledTasks, reaskedInquiries: reasked.map((i) => i.inquiryId) };
    await this.interpreter.db.recordMigration(
      {
        applicationId, from, moves, resumeAt, cancelledTasks, reaskedInquiries: result.reaskedInquiries,
        requestedBy: order.requestedBy, reason: order.reason, ...(order.requestKey ? { requestKey: order.requestKey } : {}),
        to: { ...to, id: target.definition.id, effectiveFrom: target.definition.effectiveFrom, source: target.source },
      },
      this.interpreter.event('definition-migrated', resumeAt, { from, to, moves, requestedBy: order.requestedBy, reason: order.reason, cancelledTasks, reaskedInquiries: result.reaskedInquiries }),
    );
    this.outcome = { result };
    return {
      ...input, definition: target.definition, definitionHash: target.hash,
      resume: {
        // The application keeps the reckoning of days and months it started with (licence-process.ts).
        at: resumeAt, facts: state.facts, seq: state.seq, entries: state.entries, runs, reckoning: this.interpreter.reckoning,
        decisions: [...mailbox.decisions.values()].filter((d) => !cancelledTasks.includes(d.taskId)),
        answers: [...mailbox.answers.values()],
        lateInquiries: [...mailbox.late.values(), ...reasked],
      },
    };
  }

  /** The application ended before an accepted migration could apply: its order is answered with that. */
  abandon(): void {
    if (this.accepted && !this.outcome) this.outcome = { failure: ended() };
  }

  /** Whether the migration may happen now, by the same rules as the validator's: the plan, or the refusal thrown. */
  private judge(order: MigrationOrder): { moves: StepMove[]; resumeAt: string } {
    if (!this.running()) throw ended();
    if (this.accepted) throw busy('another migration of this application is under way');
    const { mailbox, definition, state } = this.interpreter;
    const currentSteps = [...mailbox.currentSteps];
    if (currentSteps.length === 0) throw busy('the application is between two steps; try again in a moment');
    const verdict = planMigration({ pinned: definition, target: order.target.definition, currentSteps, mapping: order.mapping, facts: Object.keys(state.facts) });
    if (!verdict.allowed) {
      throw ApplicationFailure.create({
        type: MIGRATION_FAILURES.refused, message: verdict.refusals.map((r) => r.message.en).join('; '), details: [verdict.refusals], nonRetryable: true,
      });
    }
    const moving = verdict.moves.find((m) => !mailbox.settled.has(m.from));
    if (moving) throw busy(`step "${moving.from}" is not yet waiting; try again in a moment`);
    const decided = [...mailbox.openTasks.keys()].find((taskId) => mailbox.decisions.has(taskId));
    if (decided) throw busy(`a decision on task ${decided} has arrived and is being taken`);
    return verdict;
  }
}
