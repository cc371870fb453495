import { describe, expect, it } from 'vitest';
import { fixturePersons, generateNationalCode, isValidNationalCode, personFor } from './persons.js';

const NOW = Date.UTC(2026, 2, 21, 9, 0, 0); // Nowruz 1405

/** Whole years between a YYYY-MM-DD birth date and `nowMs`. */
function ageAt(birthDate: string, nowMs: number): number {
  const b = new Date(`${birthDate}T00:00:00Z`);
  const n = new Date(nowMs);
  let age = n.getUTCFullYear() - b.getUTCFullYear();
  if (n.getUTCMonth() < b.getUTCMonth() || (n.getUTCMonth() === b.getUTCMonth() && n.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

describe('national code check digit', () => {
  it('accepts every fixture national code', () => {
    for (const p of fixturePersons(NOW)) expect(isValidNationalCode(p.nationalCode), p.nationalCode).toBe(true);
  });

  it('rejects a code whose check digit is wrong', () => {
    expect(isValidNationalCode('0012345678')).toBe(false);
    expect(isValidNationalCode('0012345670')).toBe(false);
  });

  it('rejects codes that are not ten digits or are one repeated digit', () => {
    for (const code of ['012345679', '00123456790', '00123456a9', '', '1111111111', '0000000000']) {
      expect(isValidNationalCode(code), code).toBe(false);
    }
  });

  it('handles remainders below 2, where the check digit equals the remainder', () => {
    expect(isValidNationalCode('0045678911')).toBe(true); // remainder 1
  });
});

describe('generated national codes', () => {
  it('are valid, deterministic in the seed and never a fixture code', () => {
    const fixtures = new Set(fixturePersons(NOW).map((p) => p.nationalCode));
    const codes = Array.from({ length: 2000 }, (_, i) => generateNationalCode(i));
    for (const code of codes) {
      expect(isValidNationalCode(code), code).toBe(true);
      expect(fixtures.has(code)).toBe(false);
    }
    expect(generateNationalCode(42)).toBe(codes[42]);
    expect(new Set(codes).size).toBeGreaterThan(1990);
  });
});

describe('persons', () => {
  it('keeps the twelve fixture national codes', () => {
    expect(fixturePersons(NOW).map((p) => p.nationalCode).slice(0, 12)).toEqual([
      '0012345679', '0023456787', '0034567895', '0045678911', '0056789122', '0067891233',
      '0078912342', '0089123451', '0091234565', '0013579134', '0024681350', '0035792469',
    ]);
  });

  it('keeps the centre manager\'s fixture: a woman with a master\'s in law, a field seed 002 Art. 5(b) does not list', () => {
    const unlisted = personFor('0231000014', NOW)!;
    expect([unlisted.sex, unlisted.military, unlisted.highestDegree]).toEqual(['female', 'not-applicable', { level: 'master', field: 'law' }]);
  });

  it('keeps the Health Services Office call\'s fixtures: an exempt man with a bachelor\'s in law, a man with no degree', () => {
    const exempt = personFor('0241357918', NOW)!;
    expect([exempt.sex, exempt.military, exempt.degrees.map((d) => [d.level, d.field])]).toEqual(['male', 'exempt', [['bachelor', 'law']]]);
    const noDegree = personFor('0242468020', NOW)!;
    expect([noDegree.sex, noDegree.military, noDegree.highestDegree, noDegree.degrees]).toEqual(['male', 'served', null, []]);
  });

  it('gives fixture persons the documented age at any sandbox time', () => {
    const expected: Record<string, number> = {
      '0023456787': 24, '0034567895': 38, '0045678911': 45, '0056789122': 33,
      '0067891233': 41, '0078912342': 27, '0089123451': 60, '0091234565': 31, '0013579134': 35,
      '0024681350': 39, '0035792469': 36, '0221000011': 34,
    };
    for (const now of [NOW, NOW + 200 * 86_400_000, Date.UTC(2024, 1, 29)]) {
      for (const p of fixturePersons(now).filter((f) => f.nationalCode in expected)) expect(ageAt(p.birthDate, now), p.nationalCode).toBe(expected[p.nationalCode]);
    }
  });

  it('keeps the birth date of the OpenAPI examples\' applicant, 40 at Nowruz 1405, whatever the sandbox time', () => {
    for (const now of [NOW, NOW + 400 * 86_400_000, Date.UTC(2024, 1, 29)]) {
      expect(personFor('0012345679', now)!.birthDate).toBe('1985-12-11');
    }
    expect(ageAt('1985-12-11', NOW)).toBe(40);
  });

  it('records every fixture as Iranian except 0035792469, whom the civil registry records as Afghan (seed 002, Art. 4(a))', () => {
    const foreign = fixturePersons(NOW).filter((p) => (p.citizenship ?? 'IR') !== 'IR');
    expect(foreign.map((p) => [p.nationalCode, p.citizenship])).toEqual([['0035792469', 'AF']]);
  });

  it('spreads fixtures across ahvaz, dezful and arak with 0012345679 in ahvaz', () => {
    const persons = fixturePersons(NOW);
    expect(new Set(persons.map((p) => p.county))).toEqual(new Set(['ahvaz', 'dezful', 'arak']));
    expect(persons.find((p) => p.nationalCode === '0012345679')?.county).toBe('ahvaz');
  });

  it('derives stable, eligible facts for a generated person from the digits', () => {
    for (let seed = 0; seed < 300; seed++) {
      const code = generateNationalCode(seed);
      const p = personFor(code, NOW)!;
      expect(p.generated).toBe(true);
      expect(personFor(code, NOW)).toEqual(p);
      expect(ageAt(p.birthDate, NOW)).toBeGreaterThanOrEqual(26);
      expect(ageAt(p.birthDate, NOW)).toBeLessThanOrEqual(60);
      expect(p.highestDegree?.level).toBe('master');
      // Eligible as a centre's holder and its manager alike (seed 002, Art. 4(b), 5(b)).
      expect(['social-work', 'psychology', 'rehabilitation', 'counselling', 'nursing']).toContain(p.highestDegree!.field);
      expect(p.military).toBe(p.sex === 'male' ? 'served' : 'not-applicable');
      expect([p.criminalRecord, p.securityClearance, p.addiction, p.alive]).toEqual([false, 'clear', 'negative', true]);
      expect(p.socialInsurance).toMatchObject({ insured: true, quartersInArrears: 0 });
    }
  });

  it('knows nobody with an invalid national code', () => {
    expect(personFor('0012345678', NOW)).toBeUndefined();
  });
});
