/**
 * Documents an outcome of a task requires (Art. 6 of the welfare centre instruction; FAQ 3 of the
 * health call): the applicant attaches them through the national portal, and the office deciding
 * the task checks them; an outcome that requires one the application lacks is refused at the
 * decision, naming the missing documents. A document may be required only `when` an expression
 * over the submitted facts holds (a military-service card, for men).
 */
import { z } from 'zod';
import { evaluate, type Facts } from './expressions.js';
import { Expression } from './primitives.js';

/** The document types the portal may attach. */
export const DOCUMENT_TYPES = [
  'birth-certificate', 'national-id-card', 'photo', 'degree', 'temporary-degree-certificate', 'military-service-card',
  'no-criminal-record', 'no-addiction', 'icdl', 'non-disclosure-form', 'training-certificate', 'guild-school-licence', 'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** What each document type is called in Persian, for the offices' and the applicant's messages. */
export const DOCUMENT_NAMES_FA: Record<DocumentType, string> = {
  'birth-certificate': 'شناسنامه', 'national-id-card': 'کارت ملی', photo: 'عکس', degree: 'مدرک تحصیلی',
  'temporary-degree-certificate': 'گواهی موقت تحصیلی', 'military-service-card': 'کارت پایان خدمت یا معافیت',
  'no-criminal-record': 'گواهی عدم سوء پیشینه', 'no-addiction': 'گواهی عدم اعتیاد', icdl: 'گواهینامه ICDL',
  'non-disclosure-form': 'فرم پیمان عدم افشای اطلاعات', 'training-certificate': 'گواهی دوره آموزشی',
  'guild-school-licence': 'مجوز آموزشگاه اصناف', other: 'سایر',
};

/** A required document: its type, or its type and the condition on the submitted facts under which it is required. */
export const RequiredDocument = z.union([
  z.enum(DOCUMENT_TYPES).exclude(['other']),
  z.object({ type: z.enum(DOCUMENT_TYPES).exclude(['other']), when: Expression }).strict(),
]);
export type RequiredDocument = z.infer<typeof RequiredDocument>;

/**
 * The types required of an application with these submitted facts, in the order written. A
 * condition that cannot be judged on them (a fact the request lacks) requires the document: the
 * office checks more, never less.
 */
export function requiredDocumentTypes(required: readonly RequiredDocument[], facts: Facts): DocumentType[] {
  const applies = (when: string) => {
    try {
      return evaluate(when, facts) === true;
    } catch {
      return true;
    }
  };
  return required.flatMap((d) => (typeof d === 'string' ? [d] : applies(d.when) ? [d.type] : []));
}
