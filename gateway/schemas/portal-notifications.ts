/** Dead letters of the national portal link on the wire. */
import { z } from 'zod';
import { IsoDateTime } from '../openapi/common.js';
import { responseSchema } from '../openapi/registry.js';

export const NotificationIdParam = z.object({
  notificationId: z.string().max(20).regex(/^[1-9][0-9]*$/).meta({ description: 'The notification id (the outbox row).', examples: ['42'] }),
});

export const DeadLetter = responseSchema('PortalDeadLetter', z.object({
  id: z.string(),
  subject: z.string().describe('The licence number (or the application id before a licence exists) the notification is about.'),
  sequence: z.number().int(),
  event: z.string(),
  createdAt: IsoDateTime,
  attempts: z.number().int(),
  lastError: z.string().describe('How the portal refused it (HTTP status and problem type).'),
  deadLetteredAt: IsoDateTime,
  waitingBehind: z.number().int().describe('Later notifications of the same subject held back until this one is delivered.'),
}));

export const DeadLetterList = responseSchema('PortalDeadLetterList', z.object({ items: z.array(DeadLetter) }));

export const DeadLetterRetried = responseSchema('PortalDeadLetterRetried', z.object({
  id: z.string(), subject: z.string(), sequence: z.number().int(), state: z.literal('pending'),
}));
