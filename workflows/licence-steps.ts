/**
 * The steps that work on the licence register: `refresh` (read the licence again after a wait),
 * `set` (save computed facts) and `claim` (a "one per person" holding). Deterministic: the
 * register is read and written only through local activities.
 */
import { evaluate, holds } from '../dsl/expressions.js';
import { factsAt } from '../dsl/facts.js';
import type { Step } from '../dsl/schema.js';
import { now } from './clock.js';
import type { Ending, Interpreter } from './interpreter.js';
import { db } from './activity-options.js';


type Transition = { next?: string; end?: Ending };
type StepOf<T extends Step['type']> = Extract<Step, { type: T }>;

/** The licence number a lifecycle or standing process is about. */
export function licenceNumberOf(interpreter: Interpreter, stepId: string): string {
  const number = (interpreter.state.facts.licence as { number?: string } | undefined)?.number;
  if (!number) throw new Error(`step ${stepId} works on a licence, but the process names none`);
  return number;
}

/** Replaces the `licence` fact with the register's current view of the licence. */
export async function refreshStep(interpreter: Interpreter, id: string, step: StepOf<'refresh'>): Promise<Transition> {
  const number = licenceNumberOf(interpreter, id);
  const previous = interpreter.state.facts.licence as Record<string, unknown>;
  const { holder, ...current } = await db.readLicence(number, interpreter.event('licence-read', id, { number }));
  interpreter.state.facts.licence = { ...previous, ...current };
  // The licence may have passed to a successor meanwhile: the process now speaks to them.
  if (holder) interpreter.state.facts.applicant = holder;
  return { next: step.next };
}

/** Evaluates each expression over the facts as they were when the step began, and saves it. */
export async function setStep(interpreter: Interpreter, id: string, step: StepOf<'set'>): Promise<Transition> {
  const facts = factsAt(interpreter.state.facts, now());
  const values = Object.fromEntries(Object.entries(step.facts).map(([name, expr]) => [name, evaluate(expr, facts)]));
  Object.assign(interpreter.state.facts, values);
  await db.recordEvent(interpreter.event('facts-set', id, { facts: Object.keys(values) }));
  return { next: step.next };
}

/** Claims the holding for the holder; refused when another application or licence holds it. */
export async function claimStep(interpreter: Interpreter, id: string, step: StepOf<'claim'>): Promise<Transition> {
  const facts = factsAt(interpreter.state.facts, now());
  if (step.when && !holds(step.when, facts)) {
    await db.recordEvent(interpreter.event('claim-not-needed', id, { holding: step.holding }));
    return { next: step.next };
  }
  const holder = String(evaluate(step.holder, facts));
  const { granted } = await db.claimHolding(
    { holding: step.holding, holder, applicationId: interpreter.applicationId },
    interpreter.event('holding-claimed', id, { holding: step.holding }),
  );
  if (granted) return { next: step.next };
  interpreter.state.facts.lastFailure = { stepId: id, reason: step.reason };
  await db.recordEvent(interpreter.event('rule-failed', id, { reason: step.reason, message: step.message }));
  if (step.onFail) return { next: step.onFail };
  return { end: { outcome: 'rejected', reason: step.reason, stepId: id } };
}
