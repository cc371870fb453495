/**
 * A process another process starts (one that declares `inputs`, such as a centre's manager licence,
 * which the centre's holder asks for) is not applied for directly. The service judges its first
 * step, when a `check`, on the direct application alone, as the process would, and refuses with
 * the first rule that fails; a first step that refuses nothing still cannot run without its inputs.
 */
import { holds, type Facts } from './expressions.js';
import { factsAt } from './facts.js';
import type { ProcessDefinition, Text } from './schema.js';

/** What refuses a direct application when the first check refuses nothing. */
export const STARTED_BY_ANOTHER_PROCESS = {
  reason: 'STARTED_BY_ANOTHER_PROCESS',
  message: { fa: 'این نوع پروانه مستقیم درخواست نمی‌شود: فرایند دیگری آن را آغاز می‌کند', en: 'this licence type is not applied for directly: another process starts it' },
} as const;

/**
 * Why a direct application for this definition is refused, or undefined when it may be applied for.
 * @example directApplicationRefusal(centreManager, { applicant, application }, Date.now())?.reason // 'MANAGER_NEEDS_CENTRE'
 */
export function directApplicationRefusal(definition: ProcessDefinition, facts: Facts, atMs: number): { reason: string; message: Text } | undefined {
  if (definition.inputs.length === 0) return undefined;
  const first = definition.steps[definition.start];
  const seen = factsAt(facts, atMs);
  const failed = first?.type === 'check'
    ? first.rules.find((rule) => 'expr' in rule && (!rule.when || holds(rule.when, seen)) && !holds(rule.expr, seen))
    : undefined;
  return failed ? { reason: failed.reason, message: failed.message } : STARTED_BY_ANOTHER_PROCESS;
}
