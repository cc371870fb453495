import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from './load.js';
import { allocate, rank, round2, standingOf, type Candidate, type RankingRule } from './ranking.js';

const call = checkSource(readFileSync('processes/health-services-office/call-1405.yaml', 'utf8'), 'call-1405.yaml').loaded!.definition.call!;

function applicant(id: string, o: { level?: string; field?: string; percent?: number; documents?: string[]; submittedAt?: string; trackingCode?: string; experienceYears?: number } = {}): Candidate {
  return {
    id,
    facts: {
      applicant: { experienceYears: o.experienceYears ?? 0 },
      application: { id, documents: o.documents ?? [], submittedAt: o.submittedAt ?? '2026-12-01T08:00:00.000Z', trackingCode: o.trackingCode ?? `PRV-${id}` },
      education: { highest: { level: o.level ?? 'master', field: o.field ?? 'law' } },
      exam: { score: o.percent ?? 60, percent: o.percent ?? 60 },
    },
  };
}

describe('the call 1405 ranking rule', () => {
  it('scores degree level, field and exam, and adds the guild-school bonus', () => {
    const best = standingOf(call, applicant('a', { level: 'phd', field: 'environmental-health', percent: 80, documents: ['guild-school-licence'] }));
    expect(best).toMatchObject({ score: 90, bonus: 10, total: 100 });
    expect(standingOf(call, applicant('b', { level: 'bachelor', field: 'law', percent: 50 }))).toMatchObject({ score: 55, bonus: 0, total: 55 });
  });

  it('gives work experience nothing', () => {
    const novice = standingOf(call, applicant('a', { experienceYears: 0 }));
    const veteran = standingOf(call, applicant('b', { experienceYears: 25 }));
    expect(veteran.total).toBe(novice.total);
  });

  it('breaks a tie on the total by exam score, then degree, then registration time, then tracking code', () => {
    // All four total 75: master (25) + other field (10) + exam × 0.5 + bonus.
    const ranked = rank(call, [
      applicant('late', { percent: 60, documents: ['guild-school-licence'], submittedAt: '2026-12-02T08:00:00.000Z' }),
      applicant('code-b', { percent: 60, documents: ['guild-school-licence'], trackingCode: 'PRV-BBBB' }),
      applicant('code-a', { percent: 60, documents: ['guild-school-licence'], trackingCode: 'PRV-AAAA' }),
      applicant('exam', { percent: 80 }),
    ]);
    expect(ranked.map((r) => r.total)).toEqual([75, 75, 75, 75]);
    expect(ranked.map((r) => r.id)).toEqual(['exam', 'code-a', 'code-b', 'late']);
    expect(ranked.map((r) => r.decidedBy)).toEqual([null, 0, 3, 2]);
  });

  it('orders by the total before any tie-breaker', () => {
    // A health field outweighs a better exam here: 25 + 20 + 40 against 25 + 10 + 45.
    const ranked = rank(call, [applicant('low', { percent: 90 }), applicant('high', { percent: 80, field: 'nursing' })]);
    expect(ranked.map((r) => [r.id, r.total])).toEqual([['high', 85], ['low', 80]]);
    expect(ranked[1]!.decidedBy).toBe(-1);
  });
});

describe('rank', () => {
  const rule: RankingRule = { score: 'exam.percent * 0.1', bonus: [], tieBreakers: [{ key: 'application.name', order: 'asc' }, { key: 'application.id', order: 'asc' }] };
  const c = (id: string, percent: number, name?: string): Candidate => ({ id, facts: { exam: { percent }, application: { id, ...(name ? { name } : {}) } } });

  it('treats scores equal to 2 decimals as a tie', () => {
    expect(round2(0.1 + 0.2)).toBe(0.3);
    const ranked = rank({ ...rule, score: 'exam.percent' }, [
      { id: 'b', facts: { exam: { percent: 0.1 + 0.2 }, application: { id: 'b' } } },
      { id: 'a', facts: { exam: { percent: 0.3 }, application: { id: 'a' } } },
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['a', 'b']);
    expect(ranked[1]!.decidedBy).toBe(1);
  });

  it('puts a missing tie-breaker value after every present one, whatever the direction', () => {
    const ranked = rank(rule, [c('x', 50), c('y', 50, 'zed'), c('z', 50, 'abe')]);
    expect(ranked.map((r) => r.id)).toEqual(['z', 'y', 'x']);
  });

  it('puts an applicant whose score cannot be computed last', () => {
    const ranked = rank(rule, [{ id: 'none', facts: { application: { id: 'none' } } }, c('some', 10)]);
    expect(ranked.map((r) => [r.id, r.total])).toEqual([['some', 1], ['none', null]]);
  });

  it('is the same whatever order the applicants come in', () => {
    const many = Array.from({ length: 50 }, (_, i) => c(`id-${String(i).padStart(2, '0')}`, i % 5, i % 3 ? `n${i % 4}` : undefined));
    const once = rank(rule, many).map((r) => r.id);
    expect(rank(rule, [...many].reverse()).map((r) => r.id)).toEqual(once);
  });
});

describe('allocate', () => {
  it('fills each university\'s places in rank order and leaves the rest in order', () => {
    const ranked = ['a1', 'b1', 'a2', 'a3', 'b2'].map((id) => ({ id }));
    const { chosen, rest } = allocate(ranked, (r) => r.id[0]!, { a: 2, b: 1 });
    expect(chosen.map((r) => r.id)).toEqual(['a1', 'b1', 'a2']);
    expect(rest.map((r) => r.id)).toEqual(['a3', 'b2']);
  });
});
