/**
 * Says in words what in a reply did not match its schema. A union's "Invalid input" helps no
 * one, so for a union we report against the option the reply came closest to.
 */
import { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Mismatch = { path: PropertyKey[]; message: string };

/** The option of a union of objects sharing most keys with `value`; the first (the usual answer) on a tie. */
function closestOption(schema: z.ZodType, value: unknown): z.ZodType {
  if (!(schema instanceof z.ZodUnion)) return schema;
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  const score = (option: z.ZodType) => (option instanceof z.ZodObject ? keys.filter((k) => k in option.shape).length : 0);
  return (schema.options as z.ZodType[]).reduce((best, option) => (score(option) > score(best) ? option : best));
}

/** Nested unions: the branch with the fewest issues, the first on a tie. */
function flatten(issue: Issue, prefix: PropertyKey[]): Mismatch[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, message: issue.message }];
  const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return closest.flatMap((inner) => flatten(inner, path));
}

/** Up to three mismatches of an error. @example describeIssues(error) // 'at status: Invalid option: expected one of "clear"|"denied"' */
export function describeIssues(error: z.ZodError): string {
  const mismatches = error.issues.flatMap((issue) => flatten(issue, []));
  const shown = mismatches.slice(0, 3).map((m) => `at ${m.path.map(String).join('.') || '(root)'}: ${m.message}`);
  const more = mismatches.length > 3 ? `; and ${mismatches.length - 3} more` : '';
  return shown.join('; ') + more;
}

/**
 * Why `value` fails `schema`, judged against the closest option of a union.
 * @example explainMismatch(socialInsurance.answer, { ...answer, paidThrough: '1405/01/10' }) // 'at paidThrough: must be a date like 2026-03-31'
 */
export function explainMismatch(schema: z.ZodType, value: unknown, error: z.ZodError): string {
  const closest = closestOption(schema, value).safeParse(value);
  return describeIssues(closest.success ? error : closest.error);
}
