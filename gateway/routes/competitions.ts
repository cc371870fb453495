/** Competitive calls: register through the portal, record exam results, read the ranking. */
import { callRegistrations, competitionRanking, listCalls, recordExamResults, registerInCompetition } from '../../services/competitions.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { CallId, CallList, CallRanking, CallRegistered, CallRegistration, CallRegistrationList, ExamRecorded, ExamResults } from '../schemas/competitions.js';

const CALL = 'health-services-office-call-1405';
const registration = {
  county: 'arak',
  applicant: { nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی', birthDate: '1986-05-04', sex: 'male' as const, employment: 'none' as const },
  documents: ['national-id-card', 'birth-certificate', 'photo', 'military-service-card', 'degree', 'guild-school-licence'],
};

export const competitionRoutes = [
  describeRoute({
    method: 'post', path: '/v1/calls/{callId}/registrations', operationId: 'registerInCall', tags: ['calls'],
    summary: 'Register an applicant in a competitive call', summaryFa: 'ثبت‌نام در فراخوان',
    description: 'Within the call\'s registration window, with every required document (a military-service card for men: without it, no registration). '
      + 'The applicant\'s process starts at once (exclusions, registry inquiries, the 72-hour document review answered by SMS), then waits for the call\'s rankings.',
    access: ['portal'],
    request: { params: CallId, body: { schema: CallRegistration, example: registration } },
    responses: { 202: { description: 'Registered: the process has started.', schema: CallRegistered, example: { applicationId: '0b6a3c1e-3f55-4c59-9a0e-4f2f7c1d2e11', trackingCode: 'PRV-7K2M-QX9D', callId: CALL, university: 'arak' }, headers: ['Location'] } },
    problems: [409, 503],
  }, async ({ c, ctx, params, body }) => {
    const registered = await registerInCompetition({ ctx, callId: params.callId, input: body, idempotencyKey: c.req.header('idempotency-key') });
    return { status: 202, body: registered, headers: { location: `/v1/applications/${registered.applicationId}` } };
  }),

  describeRoute({
    method: 'post', path: '/v1/calls/{callId}/exam-results', operationId: 'recordExamResults', tags: ['calls'],
    summary: 'Record the exam results of a call', summaryFa: 'ثبت نتایج آزمون فراخوان',
    description: 'Scores out of the call\'s maximum, reported by the exam organiser (its own role; the portal may not); the call then ranks its cohort by the published rule and invites to interview.',
    access: ['exam-organiser'],
    request: { params: CallId, body: { schema: ExamResults, example: { results: [{ applicationId: '0b6a3c1e-3f55-4c59-9a0e-4f2f7c1d2e11', score: 72.5 }] } } },
    responses: { 202: { description: 'Recorded; the call was woken.', schema: ExamRecorded, example: { callId: CALL, recorded: 1 } } },
    problems: [409],
  }, async ({ ctx, params, body }) => ({ status: 202, body: await recordExamResults({ ctx, callId: params.callId, input: body }) })),

  describeRoute({
    method: 'get', path: '/v1/calls/{callId}/ranking', operationId: 'getCallRanking', tags: ['calls'],
    summary: 'A call\'s ranking, per university', summaryFa: 'رتبه‌بندی فراخوان',
    description: 'Every applicant with their status, score, bonus, total, ranks and the key that placed them. No national codes: the tracking code names the applicant. '
      + 'Offices see their own province\'s applicants.',
    access: ['portal', 'integrator', 'province-office', 'county-office'],
    request: { params: CallId },
    responses: { 200: { description: 'The ranking.', schema: CallRanking, example: { callId: CALL, stage: 'reserves', definitionVersion: 1, items: [] } } },
  }, async ({ ctx, params }) => ({ status: 200, body: await competitionRanking({ ctx, callId: params.callId }) })),

  describeRoute({
    method: 'get', path: '/v1/calls', operationId: 'listCalls', tags: ['calls'],
    summary: 'The competitive calls your office runs, with their registrations counted', summaryFa: 'فهرست فراخوان‌ها',
    description: 'The calls opened so far that have a university covering a county of your province (the national office: all), newest first: '
      + 'where each stands, its dates, and its registrations in your scope, per state and per university.',
    access: ['province-office', 'national-office'],
    responses: { 200: { description: 'The calls.', schema: CallList, example: { items: [examples.callSummary] } } },
  }, async ({ ctx }) => ({ status: 200, body: { items: await listCalls({ ctx }) } })),

  describeRoute({
    method: 'get', path: '/v1/calls/{callId}/registrations', operationId: 'listCallRegistrations', tags: ['calls'],
    summary: 'A call\'s registrations, for the office that runs it', summaryFa: 'ثبت‌نام‌های فراخوان',
    description: 'Each registration in your scope, per university in rank order: the applicant\'s name, county and university, the documents registered, '
      + 'the exam score once recorded, the standing (score, bonus, total, ranks) and the state. For the province office that runs the call and the national office; '
      + 'a call you do not run answers `404`, as an unknown one does.',
    access: ['province-office', 'national-office'],
    request: { params: CallId },
    responses: { 200: { description: 'The registrations.', schema: CallRegistrationList, example: { callId: CALL, stage: 'exam', definitionVersion: 3, items: [examples.callRegistrationLine] } } },
  }, async ({ ctx, params }) => ({ status: 200, body: await callRegistrations({ ctx, callId: params.callId }) })),
];
