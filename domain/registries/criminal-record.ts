/** The judiciary's criminal record (عدم سوء پیشینه کیفری). */
import { z } from 'zod';
import { inquiryPath, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** Asynchronous: the certificate comes back by callback, `clear` or `record`. */
export const criminalRecord: InquiryEndpoint = {
  name: 'criminal-record',
  mode: 'async',
  path: inquiryPath('criminal-record'),
  title: { fa: 'عدم سوء پیشینه کیفری', en: 'Criminal record' },
  body: personInquiry,
  answer: z.union([z.object({ status: z.enum(['clear', 'record']) }), notFound]),
};
