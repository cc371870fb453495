/**
 * The rules a change declares on its request (`change.rules`): judged by the service when the
 * change is requested, so a refusal starts and writes nothing, and again by the workflow as the
 * process starts (a change another process starts never passes the service). Same facts, same CEL.
 */
import { holds, type Facts, type Reckoning } from './expressions.js';
import { factsAt } from './facts.js';
import type { ChangeDeclaration, ChangeRule } from './schema.js';

/**
 * The first of the change's rules its facts fail at `atMs`, or undefined when they pass them all.
 * @example refusalOf(closure.change, facts, Date.now())?.reason // 'CLOSURE_NOTICE_TOO_SHORT'
 */
export function refusalOf(declaration: ChangeDeclaration | undefined, facts: Facts, atMs: number, reckoning?: Reckoning): ChangeRule | undefined {
  // A process started before change.rules existed (release 5d72675) carries its definition pinned
  // in its workflow input without them: the schema's default never filled them in, so `rules` may
  // be missing here (test/replay-releases.test.ts replays such revocation and renewal histories).
  const rules = (declaration as { rules?: ChangeRule[] } | undefined)?.rules ?? [];
  if (!rules.length) return undefined;
  const seen = factsAt(facts, atMs, reckoning);
  return rules.find((rule) => !holds(rule.expr, seen));
}
