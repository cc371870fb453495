/** `task`: an office decides between named outcomes, by a due date, escalated when it passes. */
import { z } from 'zod';
import { durationToText } from '../calendar.js';
import { RequiredDocument } from '../documents.js';
import { checkExpression } from '../expressions.js';
import { RecordedField } from '../fields.js';
import { Deadline, Expression, FactName, Late, Scopes, StepId, Text, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

/** The roles that decide tasks in their inbox. */
const TaskRoles = ['county-office', 'province-office'] as const;

export const TaskOutcome = z.object({
  title: Text,
  next: StepId.optional(),
  requiresReason: z.boolean().default(false),
  /**
   * The documents the application must have attached (through the portal) for the office to take
   * this outcome: the office checks them, and a decision is refused naming any that is missing.
   */
  documents: z.array(RequiredDocument).min(1).optional(),
  /**
   * What the office records with this outcome (a site visit's measurements): checked when the
   * decision is taken, kept on the task and saved under the task's `saveAs` as `recorded`.
   * No default, so the content of files without it (and their hash) is unchanged.
   */
  fields: z.record(FactName, RecordedField).optional(),
}).strict();

export const TaskStep = z.object({
  type: z.literal('task'), ...stepBase,
  role: z.string(),
  scope: z.enum(Scopes).default('applicant-county'),
  due: Deadline.optional(),
  /** When `due` passes the task moves up to another role, with a new deadline. */
  escalation: z.object({ role: z.string(), scope: z.enum(Scopes).default('applicant-province'), due: Deadline }).strict().optional(),
  outcomes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), TaskOutcome),
  /** The step taken when every deadline has passed without a decision. */
  late: Late,
  saveAs: FactName.optional(),
  /**
   * Grounds on which the task goes first in the office's inbox (seed 002, Art. 5(b) note 1: PhD
   * holders and local candidates have priority): each holding when the task opens is shown on it,
   * and a task with any goes before those without, whatever their due dates.
   */
  priority: z.array(z.object({ when: Expression, because: Text }).strict()).min(1).optional(),
}).strict();

export const task = defineStepKind({
  schema: TaskStep,
  leadsOn: false,
  waits: true,
  deadlines: (step) => [[['due'], step.due], [['escalation', 'due'], step.escalation?.due]],
  validate(step, v) {
    for (const [path, role] of [[v.at('role'), step.role], [v.at('escalation', 'role'), step.escalation?.role]] as const) {
      if (role !== undefined && !(TaskRoles as readonly string[]).includes(role)) {
        v.report(path, 'unknown-role', `task "${v.id}" names role "${role}", which decides no tasks; offices that do: ${TaskRoles.join(', ')}`);
      }
    }
    if (!step.due) v.report(v.at(), 'missing-deadline', `task "${v.id}" has no due date`, true);
    else if (!step.late) v.report(v.at('due'), 'unhandled-overdue', `task "${v.id}" has a due date but no late step`);
    step.priority?.forEach((p, i) => v.expression(p.when, v.at('priority', i, 'when')));
    const outcomes = Object.entries(step.outcomes);
    if (outcomes.length === 0) v.report(v.at('outcomes'), 'no-outcomes', `task "${v.id}" has no outcomes to decide`);
    for (const [name, outcome] of outcomes) {
      if (!outcome.next) v.report(v.at('outcomes', name), 'unhandled-outcome', `outcome "${name}" of task "${v.id}" leads nowhere`, true);
      outcome.documents?.forEach((d, i) => {
        // Judged on the facts as submitted (the applicant, the application), when the office decides.
        const error = typeof d === 'string' ? null : checkExpression(d.when, []);
        if (error) v.report(v.at('outcomes', name, 'documents', i, 'when'), 'invalid-expression', `outcome "${name}" of task "${v.id}": document ${typeof d === 'string' ? d : d.type}: ${error}`);
      });
      if (outcome.fields && !step.saveAs) {
        v.report(v.at('outcomes', name, 'fields'), 'unsaved-fields', `outcome "${name}" of task "${v.id}" records fields, but the task has no saveAs: no step could read them`, true);
      }
    }
  },
  edges(step, add) {
    for (const [name, outcome] of Object.entries(step.outcomes)) {
      add(outcome.next, ['outcomes', name, 'next'], 'outcome', outcome.title);
    }
    add(step.late, ['late'], 'late', { fa: 'مهلت گذشت', en: 'overdue' });
  },
  diagram: {
    label: { fa: 'تصمیم کارشناس', en: 'decision' },
    shape: 'box',
    className: 'task',
    detail: (step) => [step.role, ' · ', step.due ? durationToText(step.due) : '?'],
  },
});
