/**
 * Runs a `task`: opens it in the office's inbox, waits for a valid decision until it is due,
 * escalates once when it has an escalation, and otherwise closes it overdue.
 */
import { CancellationScope } from '@temporalio/workflow';
import { resolveDeadline } from '../../dsl/calendar.js';
import { holds } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import type { Text } from '../../dsl/schema.js';
import type { OpenTaskView, TaskDecision } from '../../domain/workflow-interfaces/licence-process.js';
import { isoAt, now } from '../clock.js';
import { conditionWithin } from '../timers.js';
import { applicationOf, type StepContext, type StepOf, type StepRunner } from './context.js';
import { followUpOf, resolveFollowUp } from './follow-up.js';

export const runTask: StepRunner<'task'> = async (ctx, id, step) => {
  const taskId = ctx.entryKey(id);
  let role = step.role;
  let dueAt = resolveDeadline(step.due!, now(), ctx.calendar);
  const outcomes = Object.entries(step.outcomes).map(([name, o]) => ({ name, title: o.title, requiresReason: o.requiresReason, ...(o.fields ? { fields: o.fields } : {}) }));
  const view = (): OpenTaskView => ({ taskId, stepId: id, role, dueAt: isoAt(dueAt), outcomes: outcomes.map((o) => o.name) });
  let closed = false;
  const answeredMeanwhile = followUpOf(ctx, id);
  // Judged once, as the task opens; a task without `priority` opens as it always did.
  const priority = step.priority ? { priority: priorityOf(ctx, step) } : {};
  try {
    await ctx.db.openTask(
      { taskId, applicationId: ctx.applicationId, stepId: id, title: step.title ?? { fa: id, en: id }, role, ...scopeOf(ctx, step.scope), outcomes, dueAt: isoAt(dueAt), ...priority },
      ctx.event('task-opened', id, { taskId, role, dueAt: isoAt(dueAt), ...priority }),
    );
    ctx.mailbox.openTasks.set(taskId, view());
    let escalated = false;
    for (;;) {
      ctx.mailbox.settled.add(id);
      const decided = await conditionWithin(() => validDecision(ctx, taskId, step) !== undefined || answeredMeanwhile() !== undefined, dueAt - now());
      ctx.mailbox.settled.delete(id);
      // A decision that came first stands; otherwise a late answer applied leaves nothing to decide.
      const answered = decided && !validDecision(ctx, taskId, step) ? answeredMeanwhile() : undefined;
      if (answered) {
        const transition = await resolveFollowUp(ctx, id, taskId, answered);
        closed = true;
        return transition;
      }
      if (decided) {
        const decision = validDecision(ctx, taskId, step)!;
        ctx.mailbox.decisions.delete(taskId);
        // Only an outcome that declares fields records anything: other decisions are written as they always were.
        const recorded = step.outcomes[decision.outcome]!.fields ? { recorded: decision.recorded! } : {};
        await ctx.db.closeTask(
          { taskId, status: 'decided', outcome: decision.outcome, reason: decision.reason, decidedBy: decision.decidedBy, ...recorded },
          ctx.event('task-decided', id, { taskId, outcome: decision.outcome, decidedBy: decision.decidedBy, ...recorded }),
        );
        closed = true;
        if (step.saveAs) ctx.state.facts[step.saveAs] = { outcome: decision.outcome, reason: decision.reason ?? null, ...recorded };
        return { next: step.outcomes[decision.outcome]!.next };
      }
      if (step.escalation && !escalated) {
        escalated = true;
        role = step.escalation.role;
        dueAt = resolveDeadline(step.escalation.due, now(), ctx.calendar);
        ctx.mailbox.openTasks.set(taskId, view());
        await ctx.db.escalateTask({ taskId, role, ...scopeOf(ctx, step.escalation.scope), dueAt: isoAt(dueAt) },
          ctx.event('task-escalated', id, { taskId, role, dueAt: isoAt(dueAt) }));
        continue;
      }
      await ctx.db.closeTask({ taskId, status: 'expired' }, ctx.event('task-overdue', id, { taskId }));
      closed = true;
      return { next: step.late };
    }
  } finally {
    ctx.mailbox.settled.delete(id);
    ctx.mailbox.openTasks.delete(taskId);
    if (!closed) {
      // The application ended elsewhere (withdrawal, a failed parallel branch): clear the inbox.
      await CancellationScope.nonCancellable(() =>
        ctx.db.closeTask({ taskId, status: 'cancelled' }, ctx.event('task-cancelled', id, { taskId })));
    }
  }
};

/** The grounds of the task's priority that hold on the facts now (none: it waits its turn). */
function priorityOf(ctx: StepContext, step: StepOf<'task'>): Text[] {
  const facts = factsAt(ctx.state.facts, now(), ctx.reckoning);
  return (step.priority ?? []).filter((p) => holds(p.when, facts)).map((p) => p.because);
}

/** The offices a task's scope lets act: the applicant's county's, their province's, or any. */
function scopeOf(ctx: StepContext, scope: string): { county: string | null; province: string | null } {
  const app = applicationOf(ctx);
  if (scope === 'applicant-county') return { county: app.county ?? null, province: app.province ?? null };
  if (scope === 'applicant-province') return { county: null, province: app.province ?? null };
  return { county: null, province: null };
}

/**
 * A buffered decision for this task that names one of its outcomes, with a reason where required
 * and what the outcome records (the gateway has checked each field against its declaration).
 */
function validDecision(ctx: StepContext, taskId: string, step: StepOf<'task'>): TaskDecision | undefined {
  const decision = ctx.mailbox.decisions.get(taskId);
  if (!decision) return undefined;
  const outcome = step.outcomes[decision.outcome];
  const recorded = decision.recorded;
  const recordsWhatItMust = !outcome?.fields || (typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded));
  if (!outcome || (outcome.requiresReason && !decision.reason?.trim()) || !recordsWhatItMust) {
    ctx.mailbox.decisions.delete(taskId);
    return undefined;
  }
  return decision;
}
