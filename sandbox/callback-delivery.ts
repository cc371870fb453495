/**
 * Delivers async registry answers to the gateway:
 * `POST {callbackBaseUrl}/v1/callbacks/registries/{registry}`, signed with a
 * detached JWS in `x-registry-signature`, retried until a 2xx.
 */
import type { InquiryRecord } from './inquiries.js';
import { signCallback, type RegistrySigner } from './signing.js';

/** Header carrying the detached JWS over the callback body. */
export const SIGNATURE_HEADER = 'x-registry-signature';

export interface CallbackDeliveryOptions {
  callbackBaseUrl: string;
  /** The key of the registry a callback comes from: each registry signs with its own. */
  signerOf(registry: string): RegistrySigner;
  /** False once the record was dropped (e.g. by a reset): stop delivering it. */
  isCurrent(record: InquiryRecord): boolean;
  retryIntervalMs?: number;
  maxTries?: number;
  /** Real time between a callback and its copy under the duplicateCallbacks fault (default 150 ms). */
  duplicateDelayMs?: number;
  log?: (line: string) => void;
}

/** 4xx answers that still deserve a retry. */
const RETRYABLE_CLIENT_ERRORS = new Set([408, 429]);

/** Sends callbacks and keeps retrying them on a real-time schedule. */
export class CallbackDelivery {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();

  constructor(private readonly opts: CallbackDeliveryOptions) {}

  /** The exact callback body for a released answer. */
  static body(r: InquiryRecord): string {
    return JSON.stringify({
      inquiryId: r.inquiryId,
      registry: r.registry,
      nationalCode: r.nationalCode,
      answer: r.answer,
      answeredAt: new Date(r.answeredAt ?? r.dueAt).toISOString(),
    });
  }

  /**
   * Starts delivering `record`'s answer. The promise settles once the first
   * attempt has an outcome (retries go on in the background), so callers can
   * pace a sequence of deliveries. With `duplicate`, the same signed callback
   * is posted once more `duplicateDelayMs` later (a single try, no retries):
   * a replay, which the gateway answers from its record. Each retry is signed
   * anew (a fresh `iat` and `jti`), as a registry that tries again does.
   */
  async deliver(record: InquiryRecord, opts: { duplicate?: boolean } = {}): Promise<void> {
    const body = CallbackDelivery.body(record);
    const url = `${this.opts.callbackBaseUrl.replace(/\/+$/, '')}/v1/callbacks/registries/${record.registry}`;
    const signature = await this.sign(record, body);
    if (signature === undefined) return;
    if (opts.duplicate) this.later(this.opts.duplicateDelayMs ?? 150, () => void this.post(record, url, body, signature));
    await this.attempt(record, url, body, signature);
  }

  private async sign(record: InquiryRecord, body: string): Promise<string | undefined> {
    try {
      return await signCallback(this.opts.signerOf(record.registry), record.registry, new TextEncoder().encode(body));
    } catch (err) {
      this.opts.log?.(`callback signing failed for ${record.inquiryId}: ${String(err)}`);
      return undefined;
    }
  }

  /** One POST of the callback; records the outcome on `record` and says whether to try again. */
  private async post(record: InquiryRecord, url: string, body: string, signature: string): Promise<{ retry: boolean }> {
    if (this.abort.signal.aborted || !this.opts.isCurrent(record)) return { retry: false };
    record.deliveries += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, ...record.trace },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(5_000)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        record.delivered = true;
        delete record.lastDeliveryError;
        return { retry: false };
      }
      record.lastDeliveryError = `HTTP ${res.status}`;
      return { retry: res.status >= 500 || RETRYABLE_CLIENT_ERRORS.has(res.status) };
    } catch (err) {
      record.lastDeliveryError = err instanceof Error ? err.message : String(err);
      return { retry: true };
    }
  }

  /** Posts until a 2xx, a final 4xx, `maxTries` or stop(). */
  private async attempt(record: InquiryRecord, url: string, body: string, signature: string): Promise<void> {
    const { retry } = await this.post(record, url, body, signature);
    if (record.delivered || this.abort.signal.aborted || !this.opts.isCurrent(record)) return;
    const maxTries = this.opts.maxTries ?? 120;
    if (!retry || record.deliveries >= maxTries) {
      this.opts.log?.(`callback for ${record.registry}/${record.inquiryId} given up: ${record.lastDeliveryError}`);
      return;
    }
    this.later(this.opts.retryIntervalMs ?? 500, () => void this.sign(record, body).then((fresh) => (fresh === undefined ? undefined : this.attempt(record, url, body, fresh))));
  }

  /** Runs `fn` after `ms` real milliseconds unless stopped first. */
  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Cancels all pending retries and in-flight callbacks. */
  stop(): void {
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
