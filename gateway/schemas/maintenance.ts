/** Maintenance windows on the wire: the national office's announcement and the public list. */
import { z } from 'zod';
import { lineOfText, typedText } from '../../services/free-text.js';
import { typedInput } from '../../services/identifiers.js';
import { IsoDateTime, JalaliText, Title } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';

const moment = typedInput.moment();
const noticeText = typedText({ paragraph: true, min: 3, max: 2000 });

export const MaintenanceAnnouncement = requestSchema('MaintenanceAnnouncement', z.object({
  startsAt: moment.meta({ description: 'When the services become unavailable (ISO 8601 with offset); in the future, at least the notice period (48 hours) away.' }),
  endsAt: moment.meta({ description: 'When they are available again; after `startsAt`.' }),
  services: z.array(lineOfText().regex(/^[a-z][a-z0-9-]*$/)).min(1).max(100)
    .describe('The licence types (`GET /v1/licence-types`) unavailable meanwhile, or `["all"]`.'),
  notice: z.object({ fa: noticeText, en: noticeText }).strict().describe('What users read, in Persian and English.'),
}).strict().describe('A planned maintenance window (seed 003: announced to users in advance).'));

export const MaintenanceWindow = responseSchema('MaintenanceWindow', z.object({
  id: z.uuid(),
  state: z.enum(['announced', 'in-progress']).describe('`announced`: not started yet; `in-progress`: the services are unavailable now.'),
  startsAt: IsoDateTime,
  startsAtJalali: JalaliText,
  endsAt: IsoDateTime,
  endsAtJalali: JalaliText,
  services: z.array(z.string()),
  notice: Title,
  announcedAt: IsoDateTime,
}));

export const MaintenanceWindowList = responseSchema('MaintenanceWindowList', z.object({ items: z.array(MaintenanceWindow) }));
