/** Issued licences: read (in scope), verify (public), and start a change to one. */
import type { z } from 'zod';
import { offeredChanges, startLicenceChange, type LicenceChange } from '../../services/licence-changes.js';
import { getLicence, listLicences } from '../../services/licences.js';
import { listSupervision, recordSupervision, supervisionChecklist } from '../../services/supervision.js';
import { describeRoute, type Access, type Refusals } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import {
  ClosureNoticeRequest, DueProcessRequest, LicenceChangeParams, LicenceDetail, LicenceChangeRequest, LicenceChangeStarted, LicenceList,
  LicenceListQuery, LicenceNumberParam, OfferedChangeList, RenewalRequest, SupervisionChecklist, SupervisionList,
  SupervisionRecorded, SupervisionRequest,
} from '../schemas/licences.js';

/**
 * The reason codes the `change.rules` of each shipped change refuse a request with (422); the
 * definitions in processes/lifecycle/ are the source, and test/openapi.test.ts holds these to them.
 */
const REFUSALS = {
  renewal: ['RENEWAL_TOO_LATE', 'LICENCE_NOT_ACTIVE', 'RENEWAL_TOO_EARLY'],
  suspension: ['LICENCE_NOT_IN_FORCE'],
  revocation: ['LICENCE_NOT_IN_FORCE'],
  'closure-notice': ['LICENCE_NOT_ACTIVE', 'CLOSURE_NOTICE_TOO_SHORT'],
  'manager-appointment': ['LICENCE_NOT_ACTIVE'],
  'manager-leave': ['LICENCE_NOT_ACTIVE', 'SUBSTITUTE_NOT_NAMED', 'NEW_MANAGER_NOT_NAMED', 'EMPLOYMENT_NOT_DECLARED'],
  'successor-nomination': ['LEGAL_PERSON_LICENCE_NOT_TRANSFERABLE', 'ABSENCE_UNDER_3_MONTHS', 'RELIGION_NOT_RECOGNISED', 'EMPLOYMENT_NOT_DECLARED'],
} as const satisfies Record<string, readonly [string, ...string[]]>;
const ANY_CHANGE_REFUSAL = [...new Set(Object.values(REFUSALS).flat())].sort() as [string, ...string[]];

const readers: Access = ['portal', 'county-office', 'province-office', 'national-office', 'integrator'];

/** One lifecycle operation: the change runs as its own process, started by `startLicenceChange`. */
function changeRoute<B extends typeof RenewalRequest | typeof DueProcessRequest | typeof ClosureNoticeRequest>(opts: {
  change: LicenceChange; segment: string; operationId: string; summary: string; summaryFa: string; description: string;
  access: Access; schema: B; example: () => z.input<B>; refusals: Refusals;
}) {
  return describeRoute({
    method: 'post', path: `/v1/licences/{licenceNumber}/${opts.segment}`, operationId: opts.operationId, tags: ['licences'],
    summary: opts.summary, summaryFa: opts.summaryFa, description: opts.description, access: opts.access,
    request: { params: LicenceNumberParam, body: { schema: opts.schema, example: opts.example } },
    responses: { 202: { description: 'The change\'s process has started; follow it by its application id or tracking code.', schema: LicenceChangeStarted, example: examples.licenceChangeStarted(opts.change) } },
    problems: [409, 503], refusals: opts.refusals,
  }, async ({ ctx, params, body }) => ({
    status: 202,
    body: await startLicenceChange({ ctx, licenceNumber: params.licenceNumber, change: opts.change, input: body as Record<string, unknown> }),
  }));
}

export const licenceRoutes = [
  describeRoute({
    method: 'get', path: '/v1/licences', operationId: 'listLicences', tags: ['licences'],
    summary: 'List licences in your scope', summaryFa: 'فهرست پروانه‌ها',
    description: 'Newest first. The portal, the national office and integrators see all licences, a county office its county, a province office its province. '
      + 'Search by `number` (the number or its beginning), `holderNationalCode` (not integrators), `holderName` (part of the name; offices only), `county`, `status` and `licenceType`; '
      + 'the filters combine.',
    access: readers,
    request: { query: LicenceListQuery },
    responses: { 200: { description: 'The licences.', schema: LicenceList, example: { items: [examples.licence] } } },
  }, async ({ ctx, query }) => ({ status: 200, body: { items: await listLicences({ ctx, filter: query }) } })),

  describeRoute({
    method: 'get', path: '/v1/licences/{licenceNumber}', operationId: 'getLicence', tags: ['licences'],
    summary: 'One licence, with the licence it stands on and those standing on it', summaryFa: 'جزئیات پروانه',
    description: 'Its validity in both calendars, its holder, `parent` (the licence it stands on and ends with: a centre manager\'s licence stands on the centre\'s activity licence) '
      + 'and `dependents` (the licences standing on it, in your scope).',
    access: readers,
    request: { params: LicenceNumberParam },
    responses: { 200: { description: 'The licence.', schema: LicenceDetail, example: examples.licenceDetail } },
  }, async ({ ctx, params }) => ({ status: 200, body: await getLicence({ ctx, licenceNumber: params.licenceNumber }) })),

  changeRoute({
    change: 'renewal', segment: 'renewals', operationId: 'renewLicence', summary: 'Request a renewal', summaryFa: 'درخواست تمدید پروانه',
    description: 'An activity licence or a principle agreement, by the holder through the portal or by the county office, from 3 Jalali '
      + 'months before expiry until expiry (the window the renewal\'s definition declares); outside it the request is refused at once: '
      + '`RENEWAL_TOO_EARLY`, `RENEWAL_TOO_LATE`. A principle agreement issued under an earlier version of its definition is renewed too.',
    access: ['county-office', 'portal'], schema: RenewalRequest, example: () => ({ requestedBy: 'holder' }),
    refusals: { reasons: REFUSALS.renewal, example: examples.refused.renewalTooEarly },
  }),
  changeRoute({
    change: 'suspension', segment: 'suspensions', operationId: 'suspendLicence', summary: 'Suspend a licence', summaryFa: 'تعلیق پروانه',
    description: 'A province office suspends a licence on stated grounds and legal basis (Art. 26 regulation).',
    access: ['province-office'], schema: DueProcessRequest, example: () => examples.dueProcess,
    refusals: { reasons: REFUSALS.suspension, example: examples.refused.notInForce('suspension') },
  }),
  changeRoute({
    change: 'revocation', segment: 'revocations', operationId: 'revokeLicence', summary: 'Revoke a licence', summaryFa: 'لغو پروانه',
    description: 'A province office revokes a licence on stated grounds and legal basis (Art. 26 regulation).',
    access: ['province-office'], schema: DueProcessRequest, example: () => examples.dueProcess,
    refusals: { reasons: REFUSALS.revocation, example: examples.refused.notInForce('revocation') },
  }),
  changeRoute({
    change: 'closure-notice', segment: 'closure-notices', operationId: 'noticeClosure', summary: 'Give notice of a temporary or permanent closure', summaryFa: 'اعلام تعطیلی موقت یا دائم',
    description: 'Closure needs at least 3 Jalali months\' written notice to the county (Art. 8), counted from the Tehran day it is received; '
      + 'a shorter notice is refused at once: `CLOSURE_NOTICE_TOO_SHORT`.',
    access: ['county-office', 'portal'], schema: ClosureNoticeRequest, example: () => examples.closureNotice,
    refusals: { reasons: REFUSALS['closure-notice'], example: examples.refused.closureTooShort },
  }),

  describeRoute({
    method: 'get', path: '/v1/licences/{licenceNumber}/changes', operationId: 'listLicenceChanges', tags: ['licences'],
    summary: 'The changes this licence offers', summaryFa: 'تغییرهای قابل درخواست برای پروانه',
    description: 'From the licence type\'s definition: each change, the roles that may start it and its request\'s fields.',
    access: readers,
    request: { params: LicenceNumberParam },
    responses: { 200: { description: 'The changes.', schema: OfferedChangeList, example: { items: [examples.offeredChange] } } },
  }, async ({ ctx, params }) => ({ status: 200, body: { items: await offeredChanges({ ctx, licenceNumber: params.licenceNumber }) } })),

  describeRoute({
    method: 'post', path: '/v1/licences/{licenceNumber}/changes/{change}', operationId: 'startLicenceChange', tags: ['licences'],
    summary: 'Start any change the licence offers', summaryFa: 'درخواست تغییر پروانه',
    description: 'A manager\'s leave, a manager appointment, a successor\'s nomination, a violation report, or any change named in '
      + 'the licence type\'s definition; the body carries the fields that change declares (see `GET /v1/licences/{licenceNumber}/changes`). '
      + 'Who may start it is declared there too, and the rules that judge the request on submission (refused at once, 422).',
    access: ['county-office', 'province-office', 'national-office', 'portal'],
    request: { params: LicenceChangeParams, body: { schema: LicenceChangeRequest, example: () => examples.managerLeave } },
    responses: { 202: { description: 'The change\'s process has started.', schema: LicenceChangeStarted, example: examples.licenceChangeStarted('manager-leave') } },
    problems: [409, 503], refusals: { reasons: ANY_CHANGE_REFUSAL, example: examples.refused.closureTooShort },
  }, async ({ ctx, params, body }) => ({
    status: 202,
    body: await startLicenceChange({ ctx, licenceNumber: params.licenceNumber, change: params.change as LicenceChange, input: body as Record<string, unknown> }),
  })),

  describeRoute({
    method: 'get', path: '/v1/licences/{licenceNumber}/supervision', operationId: 'listSupervision', tags: ['licences'],
    summary: 'Supervision records of a licence', summaryFa: 'سوابق نظارت بر مرکز',
    description: 'Self-assessments, inspections and guild, stakeholder and expert reports recorded against the licence, newest first, '
      + 'with the standing rules each checked and those that failed (`failedItems`).',
    access: ['portal', 'county-office', 'province-office', 'national-office'],
    request: { params: LicenceNumberParam },
    responses: { 200: { description: 'The records.', schema: SupervisionList, example: { items: [examples.supervisionRecord] } } },
  }, async ({ ctx, params }) => ({ status: 200, body: { items: await listSupervision({ ctx, licenceNumber: params.licenceNumber }) } })),

  describeRoute({
    method: 'get', path: '/v1/licences/{licenceNumber}/supervision/checklist', operationId: 'getSupervisionChecklist', tags: ['licences'],
    summary: 'The standing rules a supervision of this licence checks', summaryFa: 'فهرست موارد نظارت بر مرکز',
    description: 'For a Welfare Services Centre\'s activity licence, the rules of Art. 8 of its instruction an inspector checks on a visit, '
      + 'each by its rule id; empty for a licence kind without a checklist.',
    access: ['portal', 'county-office', 'province-office', 'national-office'],
    request: { params: LicenceNumberParam },
    responses: { 200: { description: 'The checklist.', schema: SupervisionChecklist, example: { items: [examples.checklistItem] } } },
  }, async ({ ctx, params }) => ({ status: 200, body: { items: await supervisionChecklist({ ctx, licenceNumber: params.licenceNumber }) } })),

  describeRoute({
    method: 'post', path: '/v1/licences/{licenceNumber}/supervision', operationId: 'recordSupervision', tags: ['licences'],
    summary: 'Record a self-assessment, an inspection, or a guild, stakeholder or expert report', summaryFa: 'ثبت خودارزیابی، بازرسی یا گزارش نظارت صنفی، ذی‌نفعان یا نخبگانی',
    description: 'The holder files a self-assessment through the portal; county, province and national supervisors record inspections, '
      + 'each recording every standing rule of the licence\'s checklist; a county or province office records a guild, stakeholder or '
      + 'expert report on its author\'s behalf, naming the `source`. A finding can open a change: a county or the national office reports '
      + 'the violation to the licence\'s province (a failed checklist item does so by itself), a province opens a suspension or a revocation.',
    access: ['portal', 'county-office', 'province-office', 'national-office'],
    request: { params: LicenceNumberParam, body: { schema: SupervisionRequest, example: () => examples.supervision } },
    responses: { 201: { description: 'Recorded.', schema: SupervisionRecorded, example: { ...examples.supervisionRecord, change: null } } },
    // The change a finding opens is judged as any change is: refused, the finding is not kept either.
    problems: [409, 503], refusals: { reasons: REFUSALS.suspension, example: examples.refused.notInForce('suspension') },
  }, async ({ ctx, params, body }) => ({ status: 201, body: await recordSupervision({ ctx, licenceNumber: params.licenceNumber, input: body }) })),
];
