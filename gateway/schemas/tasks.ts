/** Tasks on the wire: the inbox and a decision. */
import { z } from 'zod';
import { lineOfText, paragraphText } from '../../services/free-text.js';
import { IsoDateTime, JalaliText, JsonObject, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';
import { ChangeField } from './licences.js';

/** A field a decision records, declared as a change's request fields are, or a list of records. */
export const RecordedField = responseSchema('RecordedField', ChangeField.extend({
  type: z.enum(['text', 'date', 'integer', 'choice', 'boolean', 'person', 'list'])
    .describe('`person`: an applicant as `POST /v1/applications` takes one; `list`: an array of records, each with the fields `of` declares.'),
  of: z.record(z.string(), JsonObject).optional().describe('For `list`: each item\'s fields, by name, declared the same way.'),
}));

export const TaskApplicant = responseSchema('TaskApplicant', z.object({
  firstName: z.string(),
  lastName: z.string(),
}).describe('The applicant\'s name.'));

export const AllowedOutcome = responseSchema('AllowedOutcome', z.object({
  name: z.string().describe('What to send as `outcome`.'),
  title: Title,
  requiresReason: z.boolean().describe('A decision with this outcome must give a `reason`.'),
  fields: z.record(z.string(), RecordedField).optional()
    .describe('What a decision with this outcome must record, by name: send them as `recorded` (a county site visit\'s measurements). Absent: the outcome records nothing.'),
}));

export const Task = responseSchema('Task', z.object({
  id: z.string(),
  applicationId: z.string().describe('A submitted application\'s UUID; a subprocess is `<parent>.<step>.<n>`, a licence\'s standing process `licence-<number>.<process>`.'),
  licenceType: z.string().describe('The application\'s licence type, or the lifecycle or standing process it runs (`centre-manager-appointment`).'),
  applicant: TaskApplicant.nullable().describe('Whom the application is for, by name; null where its facts name no applicant.'),
  stepId: z.string(),
  title: Title,
  role: z.string().describe('The office that decides: `county-office` or `province-office`.'),
  county: z.string().nullable(),
  province: z.string().nullable(),
  allowedOutcomes: z.array(AllowedOutcome),
  outcomes: z.array(AllowedOutcome).meta({ deprecated: true, description: 'Same as `allowedOutcomes`; kept for older clients.' }),
  status: z.enum(['open', 'decided', 'expired', 'cancelled', 'resolved'])
    .describe('`expired`: its deadlines passed undecided; `cancelled`: the application ended; `resolved`: what it waited for came meanwhile (a late registry answer was applied), so nothing was left to decide.'),
  dueAt: IsoDateTime,
  dueAtJalali: JalaliText,
  dueInWorkingDays: z.number().int().describe('Working days from today to the due date by the holiday calendar (weekends and official holidays not counted): 0 when due today, negative when overdue (how many working days late).'),
  escalatedAt: IsoDateTime.nullable(),
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  recorded: JsonObject.nullable().describe('What the decision recorded with its outcome (its `fields`), or null.'),
  priority: z.array(Title).nullable().describe('The grounds on which the task goes first in the inbox (a centre manager with a doctorate, or a local one: seed 002, Art. 5(b) note 1), or null. The inbox lists tasks with grounds first, then by due date.'),
  createdAt: IsoDateTime,
  decidedAt: IsoDateTime.nullable(),
}));

export const InboxCounts = responseSchema('InboxCounts', z.object({
  open: z.number().int().describe('Open tasks in the inbox.'),
  overdue: z.number().int().describe('Of them, past their due date.'),
  escalated: z.number().int().describe('Of them, moved up to this office when the office below let them run over.'),
  prioritised: z.number().int().describe('Of them, with grounds of priority (`priority`).'),
}).describe('The office\'s whole open inbox counted, whatever the filters.'));

export const TaskList = responseSchema('TaskList', z.object({
  items: z.array(Task),
  counts: InboxCounts,
}));

const kebabId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id: lower-case letters, digits and "-"').max(100);

export const TaskListQuery = z.object({
  licenceType: kebabId.optional().describe('Only tasks of applications of this licence type (or lifecycle or standing process).'),
  stepId: kebabId.optional().describe('Only tasks of this step, e.g. `initial-interview`.'),
  due: z.enum(['overdue', 'escalated', 'today', 'week']).optional()
    .describe('`overdue`: past due; `escalated`: moved up from the office below; `today`: not yet overdue and due by the end of today (Tehran); '
      + '`week`: not yet overdue and due by the end of the fifth working day after today, by the holiday calendar.'),
}).strict();

export const Decision = requestSchema('Decision', z.object({
  outcome: z.string().min(1).describe('One of the task\'s `allowedOutcomes[].name`.'),
  reason: paragraphText().max(2000).optional().describe('Required when the outcome says `requiresReason`.'),
  recorded: JsonObject.optional().describe('Required when the outcome declares `fields`: each of them by name (checked against its declaration; a wrong one is refused naming it, e.g. `recorded.area`), and nothing else.'),
}).strict());

export const DecisionDelivered = responseSchema('DecisionDelivered', z.object({
  taskId: z.string(),
  outcome: z.string(),
  status: z.literal('decision-delivered'),
}));

export const TaskId = z.object({ taskId: lineOfText().min(1).max(300).describe('The task id from the inbox.') });
