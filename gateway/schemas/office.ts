/** An office's own figures on the wire. */
import { z } from 'zod';
import { IsoDateTime, Title } from '../openapi/common.js';
import { responseSchema } from '../openapi/registry.js';

const count = z.number().int().min(0);
const hours = z.number().nullable();

export const StepFigures = responseSchema('StepFigures', z.object({
  licenceType: z.string().describe('The licence type, or the lifecycle or standing process, whose step it is.'),
  stepId: z.string(),
  title: Title,
  open: count.describe('Open tasks of the step.'),
  overdue: count.describe('Of them, past their due date.'),
  decided: count.describe('Tasks of the step decided in the last 90 days.'),
  medianHours: hours.describe('Median hours from a task\'s opening to its decision, over those decided in the last 90 days; null when none was.'),
  p90Hours: hours.describe('90th percentile of the same hours (continuous); null when none was decided.'),
}));

export const RegistryWaiting = responseSchema('RegistryWaiting', z.object({
  registry: z.string(),
  waiting: count.describe('Inquiries sent to it still waiting for an answer.'),
  late: count.describe('Of them, past their deadline.'),
  oldestSince: IsoDateTime.describe('When the oldest of them was sent.'),
}));

export const OfficeFigures = responseSchema('OfficeFigures', z.object({
  scope: z.object({
    role: z.enum(['county-office', 'province-office', 'national-office']),
    county: z.string().nullable().describe('A county office\'s county.'),
    province: z.string().nullable().describe('The province of a county or province office.'),
  }).describe('Whose figures: the applications of this county, this province, or (national) the country, whichever office decides their tasks.'),
  tasks: z.object({ open: count, overdue: count, escalated: count }).describe('The open tasks still to decide.'),
  steps: z.array(StepFigures).describe('Per licence type and step with open tasks or decisions in the last 90 days.'),
  inquiries: z.array(RegistryWaiting).describe('Per registry with inquiries waiting for an answer.'),
  generatedAt: IsoDateTime,
}));
