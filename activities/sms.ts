/**
 * The SMS gateway adapter: texts a person through the operator. Not a registry: nothing is asked
 * and nothing recorded on an inquiry, but the operator speaks the same envelope over HTTP, so it
 * shares the registries' caller (timeout, idempotency key, typed failures).
 */
import { createEndpointCaller } from './outbound/http.js';
import { smsGateway } from '../domain/messaging/sms.js';

export interface SmsConfig {
  /** Base URL of the operator (the sandbox in development and tests, beside the registries). */
  baseUrl: string;
  /** Per-call timeout; Temporal retries beyond it. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

const SENDER = 'parvaneh-licence-process';

/**
 * Builds the SMS activities (tests pass the sandbox's base URL).
 * @example createSmsActivities({ baseUrl: sandbox.url }).sendSms({ messageId, nationalCode, message })
 */
export function createSmsActivities(config: SmsConfig) {
  const callGateway = createEndpointCaller({ baseUrl: config.baseUrl, timeoutMs: config.requestTimeoutMs, fetch: config.fetch });

  return {
    /** Sends an SMS through the gateway operator; the message id makes retries safe. */
    async sendSms(sms: { messageId: string; nationalCode: string; message: string }): Promise<{ status: string }> {
      const reply = await callGateway({
        endpoint: smsGateway,
        idempotencyKey: sms.messageId,
        body: smsGateway.body({ inquiryId: sms.messageId, nationalCode: sms.nationalCode, message: sms.message, requester: SENDER }),
      });
      return { status: reply.status === 'answered' ? String(reply.answer.status) : 'queued' };
    },
  };
}

export type SmsActivities = ReturnType<typeof createSmsActivities>;
