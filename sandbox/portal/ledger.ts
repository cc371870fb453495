/**
 * The portal's memory: accepted notifications with their receipts, the last
 * accepted sequence per subject, duplicates and refusals. It knows nothing
 * of HTTP; the routes translate its outcomes.
 */
import { randomUUID } from 'node:crypto';
import type { PortalNotification } from './notification.js';

/** Why the portal turned a delivery away. */
export type RefusalReason = 'invalidSignature' | 'outOfOrder' | 'sequenceConflict' | 'malformed' | 'unavailable';

/** One accepted notification. */
export interface AcceptedNotification extends PortalNotification {
  receiptId: string;
  /** Sandbox time of acceptance. */
  receivedAt: number;
  /** Deliveries of this notificationId, the accepted one included. */
  deliveries: number;
}

/** What the portal made of a (signed, well-formed) notification. */
export type SubmitOutcome =
  | { kind: 'accepted' | 'duplicate'; receiptId: string }
  | { kind: 'out-of-order' | 'sequence-conflict'; expectedSequence: number };

const noRefusals = (): Record<RefusalReason, number> =>
  ({ invalidSignature: 0, outOfOrder: 0, sequenceConflict: 0, malformed: 0, unavailable: 0 });

/** In-memory notification ledger of the national permits portal. */
export class NotificationLedger {
  private readonly accepted: AcceptedNotification[] = [];
  private readonly byId = new Map<string, AcceptedNotification>();
  private readonly lastSequence = new Map<string, number>();
  /** Refusals and duplicates per subject ('' when the subject could not be read). */
  private readonly tallies = new Map<string, { refused: Record<RefusalReason, number>; duplicates: number }>();
  /** Notification ids the portal refuses as malformed (400) until removed: `PUT|DELETE /control/portal/refuse/:notificationId`. */
  readonly refusing = new Set<string>();

  /**
   * Accepts `n` if it is the subject's next sequence; a known notificationId
   * is a duplicate and changes nothing but its delivery count.
   */
  submit(n: PortalNotification, nowMs: number): SubmitOutcome {
    const known = this.byId.get(n.notificationId);
    if (known) {
      known.deliveries += 1;
      this.tally(n.subject).duplicates += 1;
      return { kind: 'duplicate', receiptId: known.receiptId };
    }
    const expectedSequence = (this.lastSequence.get(n.subject) ?? 0) + 1;
    if (n.sequence !== expectedSequence) {
      const kind = n.sequence > expectedSequence ? 'out-of-order' : 'sequence-conflict';
      this.refuse(kind === 'out-of-order' ? 'outOfOrder' : 'sequenceConflict', n.subject);
      return { kind, expectedSequence };
    }
    const record: AcceptedNotification = { ...n, receiptId: `NPP-${randomUUID()}`, receivedAt: nowMs, deliveries: 1 };
    this.accepted.push(record);
    this.byId.set(n.notificationId, record);
    this.lastSequence.set(n.subject, n.sequence);
    return { kind: 'accepted', receiptId: record.receiptId };
  }

  /** Counts a refused delivery against `subject` (if known). */
  refuse(reason: RefusalReason, subject?: string): void {
    this.tally(subject ?? '').refused[reason] += 1;
  }

  /** Accepted notifications in acceptance order, with refusal and duplicate counts; all subjects or one. */
  view(subject?: string) {
    const tallies = subject === undefined ? [...this.tallies.values()] : [this.tallies.get(subject)].filter((t) => t !== undefined);
    const refused = noRefusals();
    for (const t of tallies) for (const reason of Object.keys(refused) as RefusalReason[]) refused[reason] += t.refused[reason];
    return {
      accepted: this.accepted.filter((n) => subject === undefined || n.subject === subject).map((n) => ({
        notificationId: n.notificationId, subject: n.subject, sequence: n.sequence, event: n.event, occurredAt: n.occurredAt,
        payload: n.payload, receiptId: n.receiptId, receivedAt: new Date(n.receivedAt).toISOString(), deliveries: n.deliveries,
      })),
      refused,
      duplicates: tallies.reduce((sum, t) => sum + t.duplicates, 0),
    };
  }

  /** Forgets everything (a sandbox reset). */
  clear(): void {
    this.accepted.length = 0;
    this.byId.clear();
    this.lastSequence.clear();
    this.tallies.clear();
    this.refusing.clear();
  }

  private tally(subject: string) {
    let t = this.tallies.get(subject);
    if (!t) this.tallies.set(subject, (t = { refused: noRefusals(), duplicates: 0 }));
    return t;
  }
}
