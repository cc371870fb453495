/**
 * The fields a request or a decision carries, as a process file declares them: a change's request
 * (`change.input`) and what an office records with a task's outcome (`outcomes.*.fields`: a site
 * visit's measurements). The service checks a body against them before anything is written.
 * @example area: { type: integer, min: 0, title: { fa: مساحت بنا, en: floor area (m²) } }
 */
import { z } from 'zod';
import { FactName, Text } from './primitives.js';

const common = { optional: z.boolean().default(false), title: Text.optional() };
const kebab = z.string().regex(/^[a-z][a-z0-9-]*$/);

const text = z.object({ type: z.literal('text'), ...common, min: z.number().int().min(0).default(1), max: z.number().int().positive().default(2000) }).strict();
const date = z.object({ type: z.literal('date'), ...common }).strict();
const integer = z.object({ type: z.literal('integer'), ...common, min: z.number().int().optional(), max: z.number().int().optional() }).strict();
/** One of `values`; with `many: true`, a list of distinct ones (the equipment found). */
const choice = z.object({ type: z.literal('choice'), ...common, values: z.array(kebab).min(1), many: z.boolean().optional() }).strict();
const boolean = z.object({ type: z.literal('boolean'), ...common }).strict();
/** A person as an application names its applicant: nationalCode, firstName, lastName, birthDate, sex… */
const person = z.object({ type: z.literal('person'), ...common }).strict();

/** One field of a change's request body, checked by the service before the process starts. */
export const ChangeInputField = z.discriminatedUnion('type', [text, date, integer, choice, boolean, person]);

/** A list of records, each with the fields `of` declares: the social workers a site visit found, each with a degree. */
const list = z.object({
  type: z.literal('list'), ...common,
  of: z.record(FactName, ChangeInputField),
  min: z.number().int().min(0).optional(),
  max: z.number().int().positive().optional(),
}).strict();

/** One field an office records with a task's outcome: any change field, or a list of records. */
export const RecordedField = z.discriminatedUnion('type', [text, date, integer, choice, boolean, person, list]);

export type ChangeInputField = z.infer<typeof ChangeInputField>;
export type RecordedField = z.infer<typeof RecordedField>;
