/** The addiction test certificate (عدم اعتیاد). */
import { z } from 'zod';
import { inquiryPath, isoDate, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** Synchronous: the result and how long the certificate stays valid. */
export const addiction: InquiryEndpoint = {
  name: 'addiction',
  mode: 'sync',
  path: inquiryPath('addiction'),
  title: { fa: 'عدم اعتیاد', en: 'No drug addiction' },
  body: personInquiry,
  answer: z.union([z.object({ status: z.enum(['negative', 'positive']), certificateValidUntil: isoDate }), notFound]),
};
