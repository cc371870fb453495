/**
 * Eligibility rules and routing conditions are CEL expressions (Common Expression Language):
 * side-effect free, non Turing complete, evaluated by a library, never by `eval`. This module is
 * pure and deterministic, so the workflow interpreter evaluates rules without an activity.
 */
import { Environment } from '@marcbachmann/cel-js';
import { sameName } from './person-names.js';
import { addDays, addMonths, jalali, monthsBetween, quarterEnd, yearsBetween } from '../platform/dates/time-functions.js';

/** The facts an expression sees: `applicant`, `application`, and every fact a step saved. */
export type Facts = Record<string, unknown>;

const BASE_VARIABLES = ['applicant', 'application', 'licences', 'licence', 'change', 'today', 'now'] as const;

/**
 * How days, months and years are reckoned: on the Tehran calendar date in Jalali months (the
 * rule), or on the UTC day in Gregorian months, as before 1405/09 and kept only for applications
 * that started then (their recorded histories must replay as they ran).
 */
export type Reckoning = 'tehran-jalali' | 'utc-gregorian';

/** Where facts built for an older application say how it reckons (`dsl/facts.ts` sets it; absent: the rule). */
export const RECKONING: unique symbol = Symbol('reckoning');

/** Whole Gregorian months between two `YYYY-MM-DD` dates: the count before 1405/09, for histories that used it. */
function gregorianMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm);
  return to >= from ? months - (td < fd ? 1 : 0) : months + (td > fd ? 1 : 0);
}

function environment(variables: readonly string[], reckoning: Reckoning = 'tehran-jalali'): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false });
  // Jalali months on the Tehran date, the same count as addMonths (platform/dates/time-functions.ts).
  if (reckoning === 'tehran-jalali') {
    env.registerFunction('monthsBetween(string, string): int', (a: string, b: string) => BigInt(monthsBetween(a, b)));
    env.registerFunction('yearsBetween(string, string): int', (a: string, b: string) => BigInt(yearsBetween(a, b)));
  } else {
    env.registerFunction('monthsBetween(string, string): int', (a: string, b: string) => BigInt(gregorianMonthsBetween(a, b)));
    env.registerFunction('yearsBetween(string, string): int', (a: string, b: string) => BigInt(Math.floor(gregorianMonthsBetween(a, b) / 12)));
  }
  // Jalali arithmetic in Tehran time (platform/dates/time-functions.ts); counts may be CEL ints or JSON numbers.
  for (const count of ['int', 'double']) {
    env.registerFunction(`addMonths(string, ${count}): string`, (t: string, n: bigint | number) => addMonths(t, Number(n)));
    env.registerFunction(`addDays(string, ${count}): string`, (t: string, n: bigint | number) => addDays(t, Number(n)));
  }
  env.registerFunction('quarterEnd(string): string', (t: string) => quarterEnd(t));
  env.registerFunction('jalali(string): string', (t: string) => jalali(t));
  // A name as the application states it against the civil registry's spelling (dsl/person-names.ts).
  env.registerFunction('sameName(string, string): bool', (a: string, b: string) => sameName(a, b));
  for (const name of new Set([...BASE_VARIABLES, ...variables])) env.registerVariable(name, 'dyn');
  return env;
}

/**
 * Environments by reckoning and fact names. A worker evaluates this module once for all its
 * workflows (worker/workflow-bundle.ts shares it), so they share these; an environment gives the
 * same answers whoever built it. Bounded: the least recently used goes past MAX_EVALUATORS.
 */
const evaluators = new Map<string, Environment>();
const MAX_EVALUATORS = 500;

function envFor(facts: Facts): Environment {
  const names = Object.keys(facts).sort();
  const reckoning = (facts as { [RECKONING]?: Reckoning })[RECKONING] ?? 'tehran-jalali';
  const key = `${reckoning}:${names.join(',')}`;
  let env = evaluators.get(key);
  if (env) {
    evaluators.delete(key);
  } else {
    env = environment(names, reckoning);
    if (evaluators.size >= MAX_EVALUATORS) evaluators.delete(evaluators.keys().next().value!);
  }
  evaluators.set(key, env);
  return env;
}

/**
 * Checks an expression's syntax and that it names only known facts.
 * @returns an error message, or null when the expression is usable.
 * @example checkExpression('applicant.age >= 25', ['security']) // null
 */
export function checkExpression(expr: string, knownFacts: readonly string[]): string | null {
  try {
    const result = environment(knownFacts).check(expr);
    if (result && typeof result === 'object' && 'valid' in result && !result.valid) {
      return firstLine(String((result as { error?: Error }).error?.message ?? 'invalid expression'));
    }
    return null;
  } catch (error) {
    return firstLine(error instanceof Error ? error.message : String(error));
  }
}

/** Evaluates an expression to a plain JSON value (CEL integers become numbers). */
export function evaluate(expr: string, facts: Facts): unknown {
  return toPlain(envFor(facts).evaluate(expr, facts));
}

/** Evaluates a rule; anything but `true` (including a missing fact) fails it. */
export function holds(expr: string, facts: Facts): boolean {
  try {
    return evaluate(expr, facts) === true;
  } catch {
    return false;
  }
}

/**
 * What may be told of an expression that could not be evaluated: the first line of the error,
 * without the values the facts put into it (a quoted string, a key looked up by a value, a run of
 * digits), since the timeline, the audit trail and the operators' logs keep it. A key the
 * expression itself names stays: it says which field is missing.
 * @example evaluationProblem(new Error('No such key: guardian'), 'applicant.guardian.nationalCode') // 'No such key: guardian'
 * @example evaluationProblem(new Error('No such key: 0012345679'), '{"a": 1}[applicant.nationalCode]') // 'No such key: …'
 */
export function evaluationProblem(error: unknown, expression: string): string {
  const named = new Set(expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return firstLine(error instanceof Error ? error.message : String(error))
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '"…"')
    .replace(/(No such key: )(.*)$/i, (_all, prefix: string, key: string) => prefix + (named.has(key.trim()) ? key.trim() : '…'))
    .replace(/[0-9۰-۹٠-٩]{4,}/g, '…');
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
