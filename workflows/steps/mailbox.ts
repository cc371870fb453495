/** The signals a process holds until a step takes them, and what its `state` query shows. */
import type { CallVerdict } from '../../domain/workflow-interfaces/competition-process.js';
import type { LateInquiry, OpenTaskView, PendingInquiryView, RegistryAnswer, TaskDecision } from '../../domain/workflow-interfaces/licence-process.js';

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

  /**
   * Steps waiting on the outside world (a decision, a registry, a timer) with nothing of their own
   * under way: where a migration may stop the run (`workflows/migration.ts`).
   */
  settled = new Set<string>();

  /**
   * Late answers applied, by the `inquire` step they answer (its inquiry id), until a task that
   * follows the inquiry up takes it (`follow-up.ts`) or the step asks again.
   */
  lateApplied = new Map<string, string>();

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
