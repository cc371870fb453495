/**
 * A step's expressions, evaluated where the step needs their value (an inquiry's subject, a
 * wait's date, a subprocess's input…). One that cannot be evaluated is a fault of the process
 * file, not of the applicant: `ExpressionFault` says where, and the interpreter ends the
 * application `failed` with it, instead of the workflow task failing and being retried forever.
 * Rules and routes (`check`, `switch`, `claim.when`) are not values: there an error fails the
 * rule, as docs/dsl.md §4 says.
 */
import { evaluate, evaluationProblem, type Facts } from '../../dsl/expressions.js';

/** An expression of a step that could not be evaluated, or gave a value the step cannot use. */
export class ExpressionFault extends Error {
  constructor(
    readonly stepId: string,
    /** Which of the step's expressions: `subject`, `until`, `input.minimumAge`… */
    readonly field: string,
    readonly expression: string,
    /** What went wrong, without the values of the facts (`evaluationProblem`). */
    readonly problem: string,
  ) {
    super(`step ${stepId}, ${field}: ${problem}`);
    this.name = 'ExpressionFault';
  }
}

/**
 * The value of one of a step's expressions over `facts`.
 * @throws ExpressionFault when it cannot be evaluated.
 * @example valueOf(facts, 'guardian-record', 'subject', 'applicant.guardian.nationalCode')
 */
export function valueOf(facts: Facts, stepId: string, field: string, expression: string): unknown {
  try {
    return evaluate(expression, facts);
  } catch (error) {
    throw new ExpressionFault(stepId, field, expression, evaluationProblem(error, expression));
  }
}

/**
 * The national code an expression gives (an inquiry's subject, a holding's holder).
 * @throws ExpressionFault when it cannot be evaluated or gives anything but a non-empty string.
 */
export function nationalCodeOf(facts: Facts, stepId: string, field: string, expression: string): string {
  const value = valueOf(facts, stepId, field, expression);
  if (typeof value === 'string' && value !== '') return value;
  throw new ExpressionFault(stepId, field, expression, `gives ${kindOf(value)}, not a national code`);
}

/** The kind of a value, never the value itself: what a fault may say of it. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value}`;
}
