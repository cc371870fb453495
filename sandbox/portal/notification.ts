/**
 * The body of `POST /portal/v1/notifications` and its checks: JSON media
 * type, schema, and an Idempotency-Key equal to the notificationId.
 */
import { z } from 'zod';

/** A notification as Parvaneh sends it to the national permits portal. */
export const notificationSchema = z.object({
  notificationId: z.string().min(1).max(200),
  /** What the notifications are about, e.g. an application; sequences count per subject. */
  subject: z.string().min(1).max(200),
  sequence: z.number().int().min(1),
  event: z.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
});
/** A validated notification. */
export type PortalNotification = z.infer<typeof notificationSchema>;

/** The request parts a notification is read from. */
export interface NotificationRequest {
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  body: Uint8Array;
}

/** A valid notification, or what is wrong with the request (naming the field). */
export type NotificationParse = { ok: true; notification: PortalNotification } | { ok: false; detail: string };

/** Reads and validates a notification request. */
export function parseNotification(req: NotificationRequest): NotificationParse {
  if (!/^application\/json\s*(;|$)/i.test(req.contentType ?? '')) {
    return { ok: false, detail: 'content-type: must be application/json' };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
  } catch {
    return { ok: false, detail: 'body: not valid JSON' };
  }
  const result = notificationSchema.safeParse(json);
  if (!result.success) {
    return { ok: false, detail: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  }
  if (!req.idempotencyKey) return { ok: false, detail: 'idempotency-key: header is required and must equal notificationId' };
  if (req.idempotencyKey !== result.data.notificationId) {
    return { ok: false, detail: 'idempotency-key: must equal notificationId' };
  }
  return { ok: true, notification: result.data };
}

/** The subject named in a body, if it can be read at all (to attribute refusals). */
export function subjectOf(body: Uint8Array): string | undefined {
  try {
    const subject: unknown = (JSON.parse(new TextDecoder().decode(body)) as { subject?: unknown } | null)?.subject;
    return typeof subject === 'string' ? subject : undefined;
  } catch {
    return undefined;
  }
}
