/**
 * Inquiry activities: one inquiry of a government registry per call, made as the registry's entry
 * in `domain/registries/` says, with the inquiry id as idempotency key, so a retried activity
 * never makes a second inquiry. Every call is recorded on the inquiry's row (who asked, why, how
 * many calls, why the last failed, the answer).
 */
import type { Database } from '../db/client.js';
import { failureReason, registryFailure } from './outbound/failures.js';
import { createEndpointCaller } from './outbound/http.js';
import { REGISTRIES } from '../domain/registries/index.js';
import { recordAccepted, recordAnswer, recordAttempt, recordFailure, type InquiryRecord } from './inquiry-records.js';

/** An inquiry as a process asks it: the facts its record keeps, `requestedBy` defaulting to the licence process. */
export type InquiryRequest = Omit<InquiryRecord, 'requestedBy'> & {
  /** Who asks, e.g. `welfare-services-centre@v1#securityClearance`; defaults to the licence process. */
  requestedBy?: string;
};

export type InquiryOutcome =
  | { status: 'answered'; answer: Record<string, unknown> }
  | { status: 'accepted' };

export interface InquiryConfig {
  /** Base URL of the registries (the sandbox in development and tests). */
  baseUrl: string;
  db: Database;
  /** Per-call timeout; Temporal retries beyond it with the definition's policy. */
  requestTimeoutMs?: number;
  /** Ceiling of the first retry's jittered delay (default 5 s); it doubles per attempt. */
  retryInitialIntervalMs?: number;
  /** Largest ceiling a retry's delay grows to (default 10 min). */
  retryMaximumIntervalMs?: number;
  /** Jitter source in [0, 1); tests fix it. */
  random?: () => number;
  fetch?: typeof fetch;
}

const REQUESTER = 'parvaneh-licence-process';

/**
 * Builds the inquiry activities (tests pass their own base URL and database).
 * @example createInquiryActivities({ baseUrl: sandbox.url, db }).sendInquiry(request)
 */
export function createInquiryActivities(config: InquiryConfig) {
  const callRegistry = createEndpointCaller({
    baseUrl: config.baseUrl, timeoutMs: config.requestTimeoutMs, fetch: config.fetch,
    backoff: { initialIntervalMs: config.retryInitialIntervalMs, maximumIntervalMs: config.retryMaximumIntervalMs, random: config.random },
  });

  return {
    /** Sends one inquiry; a synchronous registry answers at once, an asynchronous one later by callback. */
    async sendInquiry(request: InquiryRequest): Promise<InquiryOutcome> {
      const endpoint = REGISTRIES[request.registry];
      if (!endpoint) throw registryFailure('InquiryRefused', `no registry named ${request.registry}`);
      const requestedBy = request.requestedBy ?? REQUESTER;
      await recordAttempt(config.db, { ...request, requestedBy });
      let reply: InquiryOutcome;
      try {
        reply = await callRegistry({
          endpoint,
          idempotencyKey: request.inquiryId,
          body: endpoint.body({ inquiryId: request.inquiryId, nationalCode: request.nationalCode, purpose: request.purpose?.en, requester: requestedBy }),
        });
      } catch (error) {
        const reason = failureReason(error);
        if (reason) await recordFailure(config.db, request.inquiryId, reason);
        throw error;
      }
      if (reply.status === 'accepted') await recordAccepted(config.db, request.inquiryId);
      else await recordAnswer(config.db, request.inquiryId, reply.answer);
      return reply;
    },
  };
}

export type InquiryActivities = ReturnType<typeof createInquiryActivities>;
