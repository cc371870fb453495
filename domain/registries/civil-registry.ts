/** National Organisation for Civil Registration (ثبت احوال): identity, birth date, sex, alive. */
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
