import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordedField } from '../dsl/fields.js';
import { firstIssueProblem } from './errors.js';
import { fieldsSchema } from './input-fields.js';

/** A site visit's fields, declared as a process file declares them (the defaults filled in). */
const declared = z.record(z.string(), RecordedField).parse({
  area: { type: 'integer', min: 0 },
  trainingSpace: { type: 'choice', values: ['inside', 'outside', 'none'] },
  equipment: { type: 'choice', many: true, values: ['computer', 'cctv', 'landline'] },
  accessible: { type: 'boolean' },
  note: { type: 'text', optional: true },
  socialWorkers: { type: 'list', min: 1, of: { field: { type: 'choice', values: ['social-work', 'other'] }, level: { type: 'choice', values: ['bachelor', 'master'] } } },
});
const schema = fieldsSchema(declared);
const good = { area: 80, trainingSpace: 'inside', equipment: ['computer', 'cctv'], accessible: true, socialWorkers: [{ field: 'social-work', level: 'bachelor' }] };

/** The field the problem+json would name, and its code, for a recorded body. */
function problemOf(recorded: unknown) {
  const parsed = z.object({ recorded: schema }).safeParse({ recorded });
  if (parsed.success) return undefined;
  const problem = firstIssueProblem(parsed.error, { recorded });
  return `${problem.code}@${problem.field}`;
}

describe('recorded fields', () => {
  it('takes a body with every required field, normalising its text', () => {
    expect(schema.parse({ ...good, note: 'پرونده ۱۲' })).toEqual({ ...good, note: 'پرونده 12' });
  });

  it('names the field that is wrong, missing or unknown, inside lists too', () => {
    expect(problemOf({ ...good, area: -1 })).toBe('invalid-field@recorded.area');
    expect(problemOf({ ...good, area: 70.5 })).toBe('wrong-type@recorded.area');
    expect(problemOf({ ...good, area: '80' })).toBe('wrong-type@recorded.area');
    const { accessible: _missing, ...withoutAccess } = good;
    expect(problemOf(withoutAccess)).toBe('missing-field@recorded.accessible');
    expect(problemOf({ ...good, parking: true })).toBe('unknown-field@recorded.parking');
    expect(problemOf({ ...good, trainingSpace: 'garden' })).toBe('invalid-field@recorded.trainingSpace');
    expect(problemOf({ ...good, socialWorkers: [{ field: 'law', level: 'bachelor' }] })).toBe('invalid-field@recorded.socialWorkers.0.field');
    expect(problemOf({ ...good, socialWorkers: [] })).toBe('invalid-field@recorded.socialWorkers');
    expect(problemOf(undefined)).toBe('missing-field@recorded');
  });

  it('takes a choice of many as a list of distinct values', () => {
    expect(problemOf({ ...good, equipment: [] })).toBeUndefined();
    expect(problemOf({ ...good, equipment: 'computer' })).toBe('wrong-type@recorded.equipment');
    expect(problemOf({ ...good, equipment: ['computer', 'computer'] })).toBe('invalid-field@recorded.equipment');
    expect(problemOf({ ...good, equipment: ['fax'] })).toBe('invalid-field@recorded.equipment.0');
  });
});
