/**
 * The published ranking rule of a competitive call, as a pure function: score each applicant
 * (CEL over their facts), add the bonuses, order by the total and then by the call's tie-breakers,
 * and fill each university's places. Deterministic, with no I/O, so the call's activities, the
 * gateway and the tests all rank alike.
 */
import { evaluate, holds, type Facts } from './expressions.js';

export interface RankingRule {
  /** CEL giving a number. */
  score: string;
  bonus: { when: string; points: number }[];
  tieBreakers: { key: string; order: 'asc' | 'desc' }[];
}

export interface Candidate {
  /** The application id: unique, and the last resort of the order. */
  id: string;
  facts: Facts;
}

export interface Standing {
  id: string;
  /** The score formula's value, rounded to 2 decimals; null when the facts do not give a number. */
  score: number | null;
  bonus: number;
  total: number | null;
  /** The tie-breakers' values, in the rule's order (null where a key could not be evaluated). */
  keys: unknown[];
}

/** Half away from zero, to 2 decimals: `0.1 + 0.2` and `0.3` are the same score. */
export const round2 = (x: number): number => Math.sign(x) * Math.round(Math.abs(x) * 100) / 100;

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? round2(value) : null;
}

function valueOrNull(expr: string, facts: Facts): unknown {
  try {
    return evaluate(expr, facts) ?? null;
  } catch {
    return null;
  }
}

/**
 * One applicant's standing under the rule. Tie-breaker keys see the facts plus `score`, `bonus`
 * and `total`.
 * @example standingOf(rule, { id: 'a', facts: { exam: { percent: 80 } } }).total
 */
export function standingOf(rule: RankingRule, candidate: Candidate): Standing {
  const score = numberOrNull(valueOrNull(rule.score, candidate.facts));
  const bonus = round2(rule.bonus.filter((b) => holds(b.when, candidate.facts)).reduce((sum, b) => sum + b.points, 0));
  const total = score === null ? null : round2(score + bonus);
  const withScore = { ...candidate.facts, score, bonus, total };
  const keys = rule.tieBreakers.map((t) => valueOrNull(t.key, withScore));
  return { id: candidate.id, score, bonus, total, keys };
}

const TYPE_ORDER = ['boolean', 'number', 'string', 'object'];

/** Ascending order of two key values; numbers by value, strings by code point, null always last. */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ta = TYPE_ORDER.indexOf(typeof a);
  const tb = TYPE_ORDER.indexOf(typeof b);
  if (ta !== tb) return ta - tb;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/**
 * The published order: total descending; then each tie-breaker in turn; a missing value (null)
 * after every present one whatever the direction; the application id as the last resort.
 */
export function compareStandings(rule: RankingRule, a: Standing, b: Standing): number {
  const byNull = (x: unknown, y: unknown) => (x === null ? 1 : 0) - (y === null ? 1 : 0);
  if (a.total !== b.total) return a.total === null || b.total === null ? byNull(a.total, b.total) : b.total - a.total;
  for (let i = 0; i < rule.tieBreakers.length; i++) {
    const [x, y] = [a.keys[i] ?? null, b.keys[i] ?? null];
    if (x === null || y === null) {
      if (byNull(x, y) !== 0) return byNull(x, y);
      continue;
    }
    const order = compareValues(x, y);
    if (order !== 0) return rule.tieBreakers[i]!.order === 'asc' ? order : -order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Ranked extends Standing {
  /** 1 for the best, counted within the list ranked. */
  rank: number;
  /** The index of the first tie-breaker that separated this applicant from the one above; -1 for the total, null for the first. */
  decidedBy: number | null;
}

/**
 * Ranks candidates by the rule.
 * @example rank(rule, candidates).map((r) => r.id) // best first
 */
export function rank(rule: RankingRule, candidates: readonly Candidate[]): Ranked[] {
  const sorted = candidates.map((c) => standingOf(rule, c)).sort((a, b) => compareStandings(rule, a, b));
  return sorted.map((s, i) => ({ ...s, rank: i + 1, decidedBy: i === 0 ? null : separatedBy(rule, sorted[i - 1]!, s) }));
}

function separatedBy(rule: RankingRule, above: Standing, below: Standing): number {
  if (above.total !== below.total) return -1;
  const index = rule.tieBreakers.findIndex((_, i) => compareValues(above.keys[i] ?? null, below.keys[i] ?? null) !== 0);
  return index === -1 ? rule.tieBreakers.length : index;
}

/**
 * Fills each group's seats from a ranked list, best first: the chosen, in rank order, and the rest.
 * @example allocate(ranked, (r) => universityOf[r.id], { arak: 2 })
 */
export function allocate<T extends { id: string }>(ranked: readonly T[], groupOf: (item: T) => string, seats: Record<string, number>): { chosen: T[]; rest: T[] } {
  const taken: Record<string, number> = {};
  const chosen: T[] = [];
  const rest: T[] = [];
  for (const item of ranked) {
    const group = groupOf(item);
    if ((taken[group] ?? 0) < (seats[group] ?? 0)) {
      taken[group] = (taken[group] ?? 0) + 1;
      chosen.push(item);
    } else rest.push(item);
  }
  return { chosen, rest };
}
