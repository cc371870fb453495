/**
 * The registries' memory of inquiries received: the first response (replayed
 * for repeats of the same inquiryId) and, for async registries, the pending
 * answer and its callback delivery progress.
 */
import type { RegistryName } from './simulated-registries.js';

/** One inquiry as a registry recorded it. */
export interface InquiryRecord {
  inquiryId: string;
  registry: RegistryName;
  mode: 'sync' | 'async';
  /** null for an sms sent to a mobile number only. */
  nationalCode: string | null;
  fingerprint: string;
  /** Sandbox time of first receipt. */
  receivedAt: number;
  /** Requests with this inquiryId, including the first. */
  attempts: number;
  /** Exactly what the first request got back; replayed for repeats. */
  response: { status: 200 | 202; body: Record<string, unknown> };
  answer: Record<string, unknown>;
  /** Sandbox time the answer is due (equal to receivedAt for sync registries). */
  dueAt: number;
  answeredAt?: number;
  /** Sync: answered in the response. Async: a callback got a 2xx. */
  delivered: boolean;
  /** Callback POSTs made so far. */
  deliveries: number;
  lastDeliveryError?: string;
  /** The trace the inquiry came in (W3C `traceparent`/`tracestate`), carried on by its callback; absent when not traced. */
  trace?: Record<string, string>;
}

/** Listing filter for `GET /control/inquiries`. */
export interface InquiryFilter {
  registry?: string;
  nationalCode?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** In-memory store keyed by registry and inquiryId. */
export class InquiryStore {
  private readonly records = new Map<string, InquiryRecord>();
  /** Async records whose answer has not been released yet. */
  private readonly pending = new Set<InquiryRecord>();

  private static key(registry: string, inquiryId: string): string {
    return `${registry}\u0000${inquiryId}`;
  }

  get(registry: RegistryName, inquiryId: string): InquiryRecord | undefined {
    return this.records.get(InquiryStore.key(registry, inquiryId));
  }

  add(record: InquiryRecord): void {
    this.records.set(InquiryStore.key(record.registry, record.inquiryId), record);
    if (record.answeredAt === undefined) this.pending.add(record);
  }

  /** True while `record` is still the live entry (false after a reset). */
  isCurrent(record: InquiryRecord): boolean {
    return this.records.get(InquiryStore.key(record.registry, record.inquiryId)) === record;
  }

  list(filter: InquiryFilter = {}): InquiryRecord[] {
    return [...this.records.values()].filter(
      (r) =>
        (!filter.registry || r.registry === filter.registry) &&
        (!filter.nationalCode || r.nationalCode === filter.nationalCode),
    );
  }

  /** Removes and returns the pending async inquiries whose answer is due at `nowMs`. */
  takeDue(nowMs: number): InquiryRecord[] {
    const due = [...this.pending].filter((r) => r.dueAt <= nowMs);
    for (const r of due) this.pending.delete(r);
    return due;
  }

  clear(): void {
    this.records.clear();
    this.pending.clear();
  }
}

/** The public view of a record, as `GET /control/inquiries` returns it. */
export function inquiryView(r: InquiryRecord) {
  return {
    inquiryId: r.inquiryId,
    registry: r.registry,
    mode: r.mode,
    nationalCode: r.nationalCode,
    receivedAt: iso(r.receivedAt),
    attempts: r.attempts,
    ...(r.mode === 'async' ? { expectedAt: iso(r.dueAt) } : {}),
    ...(r.answeredAt !== undefined ? { answeredAt: iso(r.answeredAt), answer: r.answer } : {}),
    delivered: r.delivered,
    deliveries: r.deliveries,
    ...(r.lastDeliveryError ? { lastDeliveryError: r.lastDeliveryError } : {}),
  };
}
