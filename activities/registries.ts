/**
 * Registry adapters: one HTTP call per inquiry, with the inquiry id as idempotency key, so a
 * retried activity never makes a second inquiry. The inquiry is recorded (who asked, why, what
 * came back) before and after the call.
 */
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { inquiries } from '../db/schema/index.js';
import type { Text } from '../dsl/schema.js';
import { checkAnswer, inquiryReply } from './registry-answers.js';

export interface InquiryRequest {
  inquiryId: string;
  applicationId: string;
  stepId: string;
  registry: string;
  nationalCode: string;
  purpose?: Text;
  deadlineAt: string;
}

export type InquiryOutcome =
  | { status: 'answered'; answer: Record<string, unknown> }
  | { status: 'accepted' };

export interface RegistryConfig {
  /** Base URL of the registries (the sandbox in development and tests). */
  baseUrl: string;
  db: Database;
  /** Per-call timeout; Temporal retries beyond it with the definition's policy. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

const REQUESTER = 'parvaneh-licence-process';

/** Builds the registry activities (tests pass their own base URL and database). */
export function createRegistryActivities(config: RegistryConfig) {
  const doFetch = config.fetch ?? fetch;
  const timeout = config.requestTimeoutMs ?? 10_000;

  const post = async (path: string, key: string, body: unknown): Promise<{ status: number; text: string }> => {
    let res: Response;
    try {
      res = await doFetch(`${config.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      throw ApplicationFailure.retryable(`registry unreachable: ${(error as Error).message}`, 'RegistryUnavailable');
    }
    return { status: res.status, text: await res.text() };
  };

  return {
    /** Sends one inquiry; a synchronous registry answers at once, an asynchronous one later by callback. */
    async sendInquiry(request: InquiryRequest): Promise<InquiryOutcome> {
      await config.db.insert(inquiries).values({
        id: request.inquiryId, applicationId: request.applicationId, stepId: request.stepId,
        registry: request.registry, subjectNationalCode: request.nationalCode, purpose: request.purpose ?? null,
        requestedBy: REQUESTER, status: 'sent', deadlineAt: new Date(request.deadlineAt),
      }).onConflictDoNothing();

      const { status, text } = await post(`/registries/${request.registry}/inquiries`, request.inquiryId, {
        inquiryId: request.inquiryId, subject: { nationalCode: request.nationalCode },
        purpose: request.purpose?.en, requester: REQUESTER,
      });
      if (status >= 500 || status === 429 || status === 408) {
        throw ApplicationFailure.retryable(`${request.registry} answered HTTP ${status}`, 'RegistryUnavailable');
      }
      if (status >= 400) {
        throw ApplicationFailure.nonRetryable(`${request.registry} refused the inquiry: HTTP ${status}`, 'InquiryRefused');
      }
      let reply: unknown;
      try {
        reply = JSON.parse(text);
      } catch {
        throw ApplicationFailure.retryable(`${request.registry} sent a malformed reply (not JSON, ${text.length} bytes)`, 'MalformedReply');
      }
      const envelope = inquiryReply.safeParse(reply);
      if (!envelope.success || envelope.data.inquiryId !== request.inquiryId) {
        throw ApplicationFailure.retryable(`${request.registry} sent a reply that is not an inquiry reply for ${request.inquiryId}`, 'MalformedReply');
      }
      if (envelope.data.status === 'accepted') {
        await config.db.update(inquiries).set({ status: 'accepted' })
          .where(and(eq(inquiries.id, request.inquiryId), eq(inquiries.status, 'sent')));
        return { status: 'accepted' };
      }
      const checked = checkAnswer(request.registry, envelope.data.answer);
      if (!checked.ok) throw ApplicationFailure.retryable(checked.error, 'MalformedReply');
      await config.db.update(inquiries).set({ status: 'answered', answer: checked.answer, answeredAt: sql`now()` })
        .where(eq(inquiries.id, request.inquiryId));
      return { status: 'answered', answer: checked.answer };
    },

    /** Sends an SMS through the gateway operator; the message id makes retries safe. */
    async sendSms(sms: { messageId: string; nationalCode: string; message: string }): Promise<{ status: string }> {
      const { status } = await post('/registries/sms/inquiries', sms.messageId, {
        inquiryId: sms.messageId, subject: { nationalCode: sms.nationalCode }, message: sms.message, requester: REQUESTER,
      });
      if (status >= 500 || status === 429) throw ApplicationFailure.retryable(`sms gateway answered HTTP ${status}`, 'SmsUnavailable');
      if (status >= 400) throw ApplicationFailure.nonRetryable(`sms gateway refused: HTTP ${status}`, 'SmsRefused');
      return { status: 'queued' };
    },
  };
}

export type RegistryActivities = ReturnType<typeof createRegistryActivities>;
