/**
 * Social insurance (تامین اجتماعی): whether a person is on an employer's insured staff list and
 * up to when the employer has paid its premiums (staff must be insured, evidence filed quarterly).
 */
import { z } from 'zod';
import { inquiryPath, isoDate, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** A person the registry knows, with their workshop (کارگاه). */
const insuredPerson = z.object({
  nationalCode: z.string(),
  found: z.literal(true),
  insured: z.boolean(),
  /** Ten-digit workshop code of the employer. */
  workshopCode: z.string().regex(/^\d{10}$/, 'must be a ten-digit workshop code'),
  insuredStaff: z.number().int().min(0),
  /** Last day of the last quarter the employer has paid for. */
  paidThrough: isoDate,
});

/** Synchronous: the insurance record comes back in the response. */
export const socialInsurance: InquiryEndpoint = {
  name: 'social-insurance',
  mode: 'sync',
  path: inquiryPath('social-insurance'),
  title: { fa: 'تامین اجتماعی', en: 'Social insurance' },
  body: personInquiry,
  answer: z.union([insuredPerson, notFound]),
};
