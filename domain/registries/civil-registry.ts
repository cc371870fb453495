/** National Organisation for Civil Registration (ثبت احوال): identity, birth date and place, sex, alive. */
import { z } from 'zod';
import { inquiryPath, isoDate, notFound, personInquiry, type InquiryEndpoint } from './endpoint.js';

/** A person the civil registry knows. */
const person = z.object({
  nationalCode: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  sex: z.enum(['male', 'female']),
  alive: z.boolean(),
  citizenship: z.string(),
  /**
   * The place of birth (county and province ids), which the birth certificate records. Optional:
   * answers recorded before it was asked for have none. A centre manager born in the centre's
   * province is local (seed 002, Art. 5(b) note 1).
   */
  birthPlace: z.object({ county: z.string(), province: z.string() }).optional(),
});

/** Synchronous: the identity comes back in the response. */
export const civilRegistry: InquiryEndpoint = {
  name: 'civil-registry',
  mode: 'sync',
  path: inquiryPath('civil-registry'),
  title: { fa: 'ثبت احوال', en: 'Civil registry' },
  body: personInquiry,
  answer: z.union([person, notFound]),
};
