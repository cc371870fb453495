/** Military-service status (وضعیت نظام وظیفه); women are `not-applicable`. */
import { z } from 'zod';
import { inquiryPath, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** Synchronous: served, exempt, liable or not applicable. */
export const militaryService: InquiryEndpoint = {
  name: 'military-service',
  mode: 'sync',
  path: inquiryPath('military-service'),
  title: { fa: 'وضعیت نظام وظیفه', en: 'Military service' },
  body: personInquiry,
  answer: z.union([z.object({ status: z.enum(['served', 'exempt', 'liable', 'not-applicable']) }), notFound]),
};
