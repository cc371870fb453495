/** The national portal link's dead letters: notifications the portal refused as malformed. */
import { listDeadLetters, retryDeadLetter } from '../../services/portal-dead-letters.js';
import { describeRoute } from '../openapi/route.js';
import { DeadLetterList, DeadLetterRetried, NotificationIdParam } from '../schemas/portal-notifications.js';

const example = {
  id: '42', subject: 'WSC-AL-1405-000123', sequence: 3, event: 'licence-suspended', createdAt: '2026-12-01T09:00:00.000Z', attempts: 1,
  lastError: 'HTTP 400 urn:parvaneh:sandbox:problem:invalid-body', deadLetteredAt: '2026-12-01T09:00:01.000Z', waitingBehind: 1,
};

export const portalNotificationRoutes = [
  describeRoute({
    method: 'get', path: '/v1/portal-notifications/dead-letters', operationId: 'listPortalDeadLetters', tags: ['operations'],
    summary: 'Notifications the national portal refused as malformed', summaryFa: 'اعلان‌های ردشده از سوی درگاه ملی مجوزها',
    description: 'A notification the portal refuses with a 4xx it will always repeat (not 401, 403, 408, 409, 429) is not retried: it '
      + 'waits here, with the later notifications of the same licence held behind it, while other licences\' notifications flow on. '
      + 'The gauge `parvaneh_outbox_dead_letters` counts them.',
    access: ['national-office'],
    responses: { 200: { description: 'The dead letters, oldest first.', schema: DeadLetterList, example: { items: [example] } } },
  }, async ({ ctx }) => ({ status: 200, body: await listDeadLetters({ ctx }) })),

  describeRoute({
    method: 'post', path: '/v1/portal-notifications/{notificationId}/retry', operationId: 'retryPortalDeadLetter', tags: ['operations'],
    summary: 'Send a dead-lettered notification again, after a fix', summaryFa: 'ارسال دوباره اعلان ردشده پس از رفع اشکال',
    description: 'Puts the notification back in the queue and wakes the delivery; the licence\'s later notifications follow it. Audited.',
    access: ['national-office'],
    request: { params: NotificationIdParam },
    responses: { 202: { description: 'Queued again.', schema: DeadLetterRetried, example: { id: '42', subject: example.subject, sequence: 3, state: 'pending' } } },
  }, async ({ ctx, params }) => ({ status: 202, body: await retryDeadLetter({ ctx, id: params.notificationId }) })),
];
