/** Competitive calls on the wire: a registration, exam results, the published ranking. */
import { z } from 'zod';
import { CompetitionRegistrationInput, ExamResultsInput } from '../../services/competition-input.js';
import { IsoDateTime, JalaliText, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';
import { TaskApplicant } from './tasks.js';

export const CallId = z.object({ callId: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('The call\'s id, e.g. `health-services-office-call-1405`.') });

export const CallRegistration = requestSchema('CallRegistration', CompetitionRegistrationInput
  .describe('A registration: the applicant, the county of the office (its university is the one covering it), and the ids of the uploaded documents.'));

export const CallRegistered = responseSchema('CallRegistered', z.object({
  applicationId: z.uuid(),
  trackingCode: z.string(),
  callId: z.string(),
  university: z.string().describe('The university whose need the applicant competes for.'),
}));

export const ExamResults = requestSchema('ExamResults', ExamResultsInput.describe('Exam scores out of the call\'s `exam.maxScore`, one per applicant.'));

export const ExamRecorded = responseSchema('ExamRecorded', z.object({ callId: z.string(), recorded: z.number().int() }));

const EntryStatus = z.enum(['registered', 'eligible', 'shortlisted', 'waitlisted', 'interviewed', 'selected', 'reserve', 'refused']);
const CallStage = z.enum(['registration', 'exam', 'interviews', 'reserves', 'closed']);

export const RankingLine = responseSchema('RankingLine', z.object({
  applicationId: z.uuid(),
  trackingCode: z.string(),
  university: z.string(),
  status: EntryStatus
    .describe('The call\'s view: `shortlisted` invited to interview, `waitlisted` next in line for an interview, `selected` given an office, `reserve` next in line for one.'),
  reason: z.string().nullable().describe('Why the call refused the applicant: `LATE_DOCUMENTS`, `EXAM_ABSENT`, `EXAM_BELOW_PASS_MARK`, `SCORE_UNAVAILABLE`, `INTERVIEW_NOT_HELD`, `NOT_SHORTLISTED`, `NOT_SELECTED`, `WITHDRAWN`.'),
  applicationStatus: z.enum(['running', 'approved', 'rejected', 'withdrawn', 'failed']),
  outcomeReason: z.string().nullable(),
  examScore: z.number().nullable(),
  score: z.number().nullable().describe('The call\'s score formula, rounded to 2 decimals.'),
  bonus: z.number().nullable(),
  total: z.number().nullable().describe('score + bonus: the first key of the ranking.'),
  shortlistRank: z.number().int().nullable().describe('Rank within the university after the exam.'),
  finalRank: z.number().int().nullable().describe('Rank within the university after the interviews.'),
  decidedBy: z.number().int().nullable().describe('What placed the applicant below the one above: -1 the total, n the n-th tie-breaker (from 0).'),
}));

export const CallRanking = responseSchema('CallRanking', z.object({
  callId: z.string(),
  stage: CallStage,
  definitionVersion: z.number().int(),
  items: z.array(RankingLine),
}));

const count = z.number().int().min(0);

export const CallSummary = responseSchema('CallSummary', z.object({
  id: z.string().describe('The call\'s id (its definition\'s).'),
  title: Title,
  definitionVersion: z.number().int().describe('The version it opened with and keeps.'),
  stage: CallStage.describe('Where the cohort stands: registration → exam → interviews → reserves → closed.'),
  registrationOpensAt: IsoDateTime,
  registrationClosesAt: IsoDateTime,
  registrationClosesAtJalali: JalaliText,
  documentsDueAt: IsoDateTime.describe('Documents not accepted by then are late (`LATE_DOCUMENTS`).'),
  examRecordedAt: IsoDateTime.nullable(),
  registrations: count.describe('Registrations in your scope.'),
  byStatus: z.partialRecord(EntryStatus, count).describe('The same, per state (`registered`, `eligible`, … `refused`); a state with none is left out.'),
  universities: z.array(z.object({
    id: z.string(), title: Title, capacity: count.describe('The university\'s declared need.'), registrations: count,
  })).describe('The universities of the call your office runs, with their registrations.'),
}));

export const CallList = responseSchema('CallList', z.object({ items: z.array(CallSummary) }));

export const CallRegistrationLine = responseSchema('CallRegistrationLine', RankingLine.extend({
  county: z.string().describe('The county the applicant registered in (the university is the one covering it).'),
  applicant: TaskApplicant.nullable(),
  registeredAt: IsoDateTime,
  documents: z.array(z.string()).describe('The documents registered, by the call\'s document ids.'),
  invited: z.boolean().describe('Invited to interview.'),
}));

export const CallRegistrationList = responseSchema('CallRegistrationList', z.object({
  callId: z.string(),
  stage: CallStage,
  definitionVersion: z.number().int(),
  items: z.array(CallRegistrationLine),
}));
