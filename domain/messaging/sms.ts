/**
 * The SMS gateway operator: sends a text to the person with a national code. Not a registry (it is
 * asked nothing), but it takes the registries' envelope at a path beside theirs.
 */
import { z } from 'zod';
import { inquiryPath, type InquiryBody, type InquiryEndpoint } from '../registries/endpoint.js';

/** Synchronous: the operator queues the message and answers with its own message id. */
export const smsGateway: InquiryEndpoint = {
  name: 'sms',
  mode: 'sync',
  path: inquiryPath('sms'),
  title: { fa: 'سامانه پیامک', en: 'SMS gateway' },
  // The message id is the inquiry id, so a retried send is the same message, not a second one.
  body: (input: InquiryBody) => ({
    inquiryId: input.inquiryId,
    subject: { nationalCode: input.nationalCode },
    message: input.message ?? '',
    requester: input.requester,
  }),
  answer: z.object({ messageId: z.string().min(1), status: z.enum(['queued', 'sent', 'delivered']) }),
};
