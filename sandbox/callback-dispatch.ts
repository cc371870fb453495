/**
 * Hands released async answers to callback delivery, applying the callback
 * faults: `duplicateCallbacks` (each answer posted twice) and
 * `reorderCallbacks` (answers released within a short window are held, then
 * delivered newest first, each after the previous one's first attempt).
 */
import type { CallbackDelivery } from './callback-delivery.js';
import type { FaultStore } from './faults.js';
import type { InquiryRecord } from './inquiries.js';

/** Real time reordered answers are held before they go out together (default). */
export const REORDER_WINDOW_MS = 300;

interface HeldAnswer {
  record: InquiryRecord;
  duplicate: boolean;
}

/** Decides how and when each released answer is delivered. */
export class CallbackDispatch {
  private held: HeldAnswer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly delivery: CallbackDelivery,
    private readonly faults: FaultStore,
    private readonly reorderWindowMs = REORDER_WINDOW_MS,
  ) {}

  /** Delivers `record`'s answer now, or holds it when its registry reorders callbacks. */
  send(record: InquiryRecord): void {
    const { duplicate, reorder } = this.faults.callbackFaults(record.registry);
    if (!reorder) {
      void this.delivery.deliver(record, { duplicate });
      return;
    }
    this.held.push({ record, duplicate });
    this.timer ??= setTimeout(() => void this.flush(), this.reorderWindowMs);
  }

  /** Delivers the held answers newest first: latest due time, then latest released. */
  private async flush(): Promise<void> {
    const batch = this.held.reverse();
    this.held = [];
    this.timer = undefined;
    batch.sort((a, b) => b.record.dueAt - a.record.dueAt); // stable: ties stay latest-released first
    for (const { record, duplicate } of batch) {
      if (this.stopped) return;
      await this.delivery.deliver(record, { duplicate });
    }
  }

  /** Drops held answers and stops a flush in progress. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
  }
}
