/** The shape of a submitted application, validated and normalised before anything is written. */
import { z } from 'zod';
import { lineOfText } from './free-text.js';
import { isValidNationalCode, normaliseText } from './identifiers.js';
import { provinceOf } from './geography.js';

/** A national code's refusal has its own problem type. */
export const NATIONAL_CODE_PROBLEM = { 'applicant.nationalCode': { code: 'national-code', title: { fa: 'کد ملی نامعتبر است', en: 'invalid national code' } } };

const name = lineOfText().transform(normaliseText).pipe(z.string().min(1).max(200));

export const ApplicantInput = z.object({
  nationalCode: z.string().transform(normaliseText).pipe(z.string().regex(/^\d{10}$/, 'ten digits'))
    .refine(isValidNationalCode, { message: 'the check digit is wrong' }),
  firstName: name,
  lastName: name,
  birthDate: z.string().transform(normaliseText).pipe(z.iso.date()),
  sex: z.enum(['male', 'female']),
  mobile: z.string().transform(normaliseText).pipe(z.string().regex(/^09\d{9}$/)).optional(),
  religionRecognised: z.boolean(),
}).strict();

export const ApplicationInput = z.object({
  licenceType: z.string().regex(/^[a-z][a-z0-9-]*$/),
  county: z.string().refine((c) => provinceOf(c) !== undefined, { message: 'unknown county' }),
  holderType: z.enum(['natural', 'legal']).default('natural'),
  applicant: ApplicantInput,
}).strict();

export type ApplicationInput = z.infer<typeof ApplicationInput>;
