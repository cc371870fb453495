/** Applications: submit, list, read, withdraw, attach documents; and the public tracking view. */
import { searchApplications, trackApplication, viewApplication } from '../../services/application-views.js';
import { submitApplication, withdrawApplication } from '../../services/applications.js';
import { attachDocument, documentContent, MEDIA_TYPES } from '../../services/documents.js';
import { migrateApplication } from '../../services/migrations.js';
import { BinaryBody, describeRoute } from '../openapi/route.js';
import {
  ApplicationDocumentParams, ApplicationId, ApplicationList, ApplicationListQuery, ApplicationSubmission, ApplicationView, SubmittedApplication, Tracking,
  TrackingCode, Withdrawal, WithdrawalRequested,
} from '../schemas/applications.js';
import { DocumentMetadata, DocumentUpload } from '../schemas/documents.js';
import { Migration, MIGRATION_REFUSALS, MigrationOrder } from '../schemas/migrations.js';
import * as examples from '../schemas/examples.js';

/**
 * The reasons a direct application is refused with (422): the first check of each definition
 * another process starts (`inputs`), else STARTED_BY_ANOTHER_PROCESS; test/centre-manager.test.ts
 * holds these to the definitions.
 */
const DIRECT_APPLICATION_REFUSALS = ['MANAGER_NEEDS_CENTRE', 'STARTED_BY_ANOTHER_PROCESS'] as const;

/** A base64 document of 5 MB and its JSON envelope fit; the gateway's default limit is smaller. */
const DOCUMENT_BODY_BYTES = 8 * 1024 * 1024;

export const applicationRoutes = [
  describeRoute({
    method: 'post', path: '/v1/applications', operationId: 'submitApplication', tags: ['applications'],
    summary: 'Submit an application', summaryFa: 'ثبت درخواست پروانه',
    description: 'Validates the application, records it and starts its licence process on the definition in effect today. '
      + 'Eligibility, registry inquiries and office decisions follow asynchronously: follow them with `GET /v1/applications/{applicationId}` or the tracking code.',
    access: ['portal', 'county-office'],
    request: {
      body: {
        schema: ApplicationSubmission, example: examples.applicationSubmission,
        problems: { 'applicant.nationalCode': { code: 'national-code', title: { fa: 'کد ملی نامعتبر است', en: 'invalid national code' } } },
      },
    },
    responses: { 202: { description: 'Accepted: the process has started.', schema: SubmittedApplication, example: examples.submittedApplication, headers: ['Location'] } },
    problems: [409, 503],
    refusals: {
      type: 'application-refused', reasons: DIRECT_APPLICATION_REFUSALS, example: examples.applicationRefused,
      description: 'The licence type is started by another process, not applied for directly (a centre\'s manager licence: the centre\'s holder '
        + 'introduces the manager with `POST /v1/licences/{licenceNumber}/changes/manager-appointment`), judged on submission by the first '
        + 'check of its definition: nothing was started or written.',
    },
  }, async ({ c, ctx, body }) => {
    const submitted = await submitApplication({ ctx, input: body, idempotencyKey: c.req.header('idempotency-key') });
    return { status: 202, body: submitted, headers: { location: `/v1/applications/${submitted.applicationId}` } };
  }),

  describeRoute({
    method: 'get', path: '/v1/applications', operationId: 'listApplications', tags: ['applications'],
    summary: 'List applications in your scope', summaryFa: 'فهرست درخواست‌ها',
    description: 'Newest first. A county office sees its county, a province office its province, the portal all.',
    access: ['portal', 'county-office', 'province-office'],
    request: { query: ApplicationListQuery },
    responses: { 200: { description: 'The applications.', schema: ApplicationList, example: { items: [examples.applicationRecord] } } },
  }, async ({ ctx, query }) => ({ status: 200, body: { items: await searchApplications({ ctx, ...query }) } })),

  describeRoute({
    method: 'get', path: '/v1/applications/{applicationId}', operationId: 'getApplication', tags: ['applications'],
    summary: 'An application with its timeline, tasks, inquiries, licences and documents', summaryFa: 'جزئیات درخواست',
    access: ['portal', 'county-office', 'province-office'],
    request: { params: ApplicationId },
    responses: { 200: { description: 'The application.', schema: ApplicationView, example: examples.applicationView } },
  }, async ({ ctx, params }) => ({ status: 200, body: await viewApplication({ ctx, applicationId: params.applicationId }) })),

  describeRoute({
    method: 'post', path: '/v1/applications/{applicationId}/withdrawal', operationId: 'withdrawApplication', tags: ['applications'],
    summary: 'Withdraw a running application at the applicant\'s request', summaryFa: 'انصراف متقاضی',
    access: ['portal'],
    request: { params: ApplicationId, body: { schema: Withdrawal, example: { reason: 'the applicant moved to another province' } } },
    responses: { 202: { description: 'The withdrawal was delivered to the process.', schema: WithdrawalRequested, example: { applicationId: examples.applicationRecord.id, status: 'withdrawal-requested' } } },
    problems: [409],
  }, async ({ ctx, params, body }) => ({ status: 202, body: await withdrawApplication({ ctx, applicationId: params.applicationId, reason: body.reason }) })),

  describeRoute({
    method: 'post', path: '/v1/applications/{applicationId}/migrations', operationId: 'migrateApplication', tags: ['applications'],
    summary: 'Move a running application to a newer version of its definition', summaryFa: 'انتقال درخواست جاری به نسخه جدید فرایند',
    description: 'Where the authority orders it, a national supervisor moves an application that waits at a step (a task, an inquiry, a wait) '
      + 'to a newer version in effect, from the same step or the one `mapping` names. The process checks the order against the step it is at '
      + '(docs/dsl.md §6, "Migrating running applications"): a refused order (422 `migration-refused`, the step named in its title) changes nothing. Once migrated, '
      + 'the open task leaves the inbox and the step opens its own under the new version; the audit trail and the timeline record who, from '
      + 'which version to which, the steps and the reason. `409 application-busy`: the application is moving between steps or a decision on '
      + 'its task is on its way; retry shortly.',
    access: ['national-office'],
    request: { params: ApplicationId, body: { schema: MigrationOrder, example: examples.migrationOrder } },
    responses: { 200: { description: 'Migrated: the application is pinned to the target version from now on.', schema: Migration, example: examples.migration } },
    problems: [409, 503],
    refusals: {
      type: 'migration-refused', reasons: MIGRATION_REFUSALS, example: examples.migrationRefused,
      description: 'The migration is not allowed as ordered (a version that is not newer or not in effect, a step the target lacks or '
        + 'offers differently, a step the application cannot be moved from): nothing was changed.',
    },
  }, async ({ c, ctx, params, body }) => ({
    status: 200,
    body: await migrateApplication({ ctx, applicationId: params.applicationId, input: body, idempotencyKey: c.req.header('idempotency-key') }),
  })),

  describeRoute({
    method: 'post', path: '/v1/applications/{applicationId}/documents', operationId: 'attachDocument', tags: ['applications'],
    summary: 'Attach a document (PDF, JPEG or PNG, at most 5 MB)', summaryFa: 'بارگذاری مدرک',
    description: 'The content is sent base64 in JSON; its first bytes must match `mediaType`. The answer gives the stored sha256 and size; '
      + 'the content itself is never returned.',
    access: ['portal'],
    request: { params: ApplicationId, body: { schema: DocumentUpload, example: examples.documentUpload, maxBytes: DOCUMENT_BODY_BYTES } },
    responses: { 201: { description: 'Stored.', schema: DocumentMetadata, example: examples.document, headers: ['Location'] } },
    problems: [409],
  }, async ({ ctx, params, body }) => {
    const stored = await attachDocument({ ctx, applicationId: params.applicationId, input: body });
    return { status: 201, body: stored, headers: { location: `/v1/applications/${params.applicationId}` } };
  }),

  describeRoute({
    method: 'get', path: '/v1/applications/{applicationId}/documents/{documentId}', operationId: 'getDocumentContent', tags: ['applications'],
    summary: 'Download an attached document', summaryFa: 'دریافت مدرک پیوست',
    description: 'The stored bytes as attached, with their stored media type, as an attachment named by the stored file name '
      + '(`content-disposition: attachment; filename*=UTF-8\'\'…`, RFC 6266) and `x-content-type-options: nosniff`. '
      + 'Who may read the application may download its documents: the same roles and scope as `GET /v1/applications/{applicationId}`.',
    access: ['portal', 'county-office', 'province-office'],
    request: { params: ApplicationDocumentParams },
    responses: {
      200: { description: 'The document\'s bytes.', schema: BinaryBody, binary: MEDIA_TYPES, headers: ['Content-Disposition', 'X-Content-Type-Options'] },
    },
  }, async ({ ctx, params }) => {
    const stored = await documentContent({ ctx, applicationId: params.applicationId, documentId: params.documentId });
    return {
      status: 200, body: stored.content,
      headers: { 'content-type': stored.mediaType, 'content-disposition': stored.contentDisposition, 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' },
    };
  }),
];

export const trackingRoutes = [
  describeRoute({
    method: 'get', path: '/v1/tracking/{code}', operationId: 'trackApplication', tags: ['tracking'],
    summary: 'Where an application stands, by its tracking code', summaryFa: 'پیگیری درخواست با کد پیگیری',
    description: 'Public: what a citizen sees. No personal data.',
    access: 'public',
    request: { params: TrackingCode },
    responses: { 200: { description: 'The application\'s status.', schema: Tracking, example: examples.tracking } },
  }, async ({ ctx, params }) => ({ status: 200, body: await trackApplication({ deps: ctx.deps, trackingCode: params.code }) })),
];
