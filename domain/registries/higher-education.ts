/** Degrees held (مدارک تحصیلی), from the higher-education registry. */
import { z } from 'zod';
import { inquiryPath, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

const level = z.enum(['bachelor', 'master', 'phd']);
const degree = z.object({ level, field: z.string(), university: z.string(), year: z.number().int() });

/**
 * Synchronous. `highest` is null for a person with no degree: the process's rules then fail
 * with their own reason, rather than the answer being refused as malformed.
 */
export const higherEducation: InquiryEndpoint = {
  name: 'higher-education',
  mode: 'sync',
  path: inquiryPath('higher-education'),
  title: { fa: 'مدارک تحصیلی', en: 'Higher education' },
  body: personInquiry,
  answer: z.union([
    z.object({ degrees: z.array(degree), highest: z.object({ level, field: z.string() }).nullable() }),
    notFound,
  ]),
};
