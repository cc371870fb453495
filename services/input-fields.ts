/**
 * The fields a process file declares, as zod schemas the services check a body against: a
 * change's request (`change.input`) and what an office records with a task's outcome
 * (`outcomes.*.fields`). Text is normalised (Persian digits, Arabic letters) as it is parsed.
 * @example const parsed = fieldsSchema(outcome.fields).safeParse(body.recorded);
 */
import { z } from 'zod';
import type { RecordedField } from '../dsl/schema.js';
import { ApplicantInput } from './application-input.js';
import { typedText } from './free-text.js';
import { typedInput } from './identifiers.js';

const isoDate = typedInput.date();

/** One declared field's value. */
function fieldSchema(field: RecordedField): z.ZodType {
  switch (field.type) {
    case 'text': return typedText({ paragraph: true, min: field.min, max: field.max });
    case 'date': return isoDate;
    case 'integer': {
      let n = z.number().int();
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      return n;
    }
    case 'choice': {
      const one = z.enum(field.values as [string, ...string[]]);
      return field.many ? z.array(one).refine((picked) => new Set(picked).size === picked.length, 'each value at most once') : one;
    }
    case 'boolean': return z.boolean();
    case 'person': return ApplicantInput;
    case 'list': {
      let items = z.array(fieldsSchema(field.of));
      if (field.min !== undefined) items = items.min(field.min);
      if (field.max !== undefined) items = items.max(field.max);
      return items;
    }
  }
}

/** A record of declared fields: each required unless `optional`, no other key. */
export function fieldsSchema(fields: Readonly<Record<string, RecordedField>>): z.ZodType<Record<string, unknown>> {
  const shape = Object.fromEntries(Object.entries(fields).map(([name, field]) => {
    const schema = fieldSchema(field);
    return [name, field.optional ? schema.optional() : schema];
  }));
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, unknown>>;
}
