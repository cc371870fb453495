/** The security office's clearance (تاییدیه صلاحیت از حراست) of a licence holder. */
import { z } from 'zod';
import { inquiryPath, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** Asynchronous: the office takes days and calls back with `clear` or `denied`. */
export const securityClearance: InquiryEndpoint = {
  name: 'security-clearance',
  mode: 'async',
  path: inquiryPath('security-clearance'),
  title: { fa: 'تاییدیه صلاحیت از حراست', en: 'Security clearance' },
  body: personInquiry,
  answer: z.union([z.object({ status: z.enum(['clear', 'denied']) }), notFound]),
};
