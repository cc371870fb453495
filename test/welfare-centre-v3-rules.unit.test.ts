/**
 * The rules of the Welfare Services Centre's version 3 that judge what its site visit recorded
 * (seed 002, Art. 3) and the holder's degree (Art. 4(b)), at their boundaries, on the file itself:
 * the first rule of a step that fails, for facts as the process would hold them. No server; the
 * end-to-end journeys are in `welfare-centre-v3.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../dsl/load.js';
import { holds, type Facts } from '../dsl/expressions.js';
import type { CheckRule } from '../dsl/steps/check.js';
import { compliantVisit } from './support/site-visit.js';

const v3 = loadDefinitions('processes').find((l) => l.definition.id === 'welfare-services-centre' && l.definition.version === 3)!.definition;

/** The reason of the first rule of `stepId` that fails, or undefined when all hold. */
function refusal(stepId: string, facts: Facts): string | undefined {
  const step = v3.steps[stepId] as { type: string; rules: CheckRule[] };
  const failed = step.rules.find((rule) => 'expr' in rule && !holds(rule.expr, facts));
  return failed?.reason;
}

/** Judges a visit by the premises rules, then the staff rules, as the process does. */
const judged = (changes: Record<string, unknown>) => {
  const facts = { visit: { outcome: 'visited', reason: null, recorded: { ...compliantVisit, ...changes } } };
  return refusal('premises', facts) ?? refusal('staff', facts);
};
const socialWorkers = (n: number, field = 'social-work', level = 'bachelor') => Array.from({ length: n }, () => ({ field, level }));

describe('welfare-services-centre v3: the site visit judged by Art. 3', () => {
  it('passes the compliant visit the journeys record', () => {
    expect(judged({})).toBeUndefined();
  });

  it('§welfare.premises.area: 70 m² for up to 450 household files, 50 m² for up to 150 (note 1)', () => {
    expect(judged({ area: 70, householdFiles: 450, socialWorkers: socialWorkers(3) })).toBeUndefined();
    expect(judged({ area: 69, householdFiles: 300 })).toBe('PREMISES_AREA_TOO_SMALL');
    expect(judged({ area: 50, householdFiles: 150, socialWorkers: socialWorkers(1) })).toBeUndefined();
    expect(judged({ area: 50, householdFiles: 151 })).toBe('PREMISES_AREA_TOO_SMALL');
    expect(judged({ area: 49, householdFiles: 100 })).toBe('PREMISES_AREA_TOO_SMALL');
    expect(judged({ area: 500, householdFiles: 451, socialWorkers: socialWorkers(4) })).toBe('HOUSEHOLD_FILES_ABOVE_MAXIMUM');
  });

  it('§welfare.premises.training-space: 50 m² for training and screening, in or outside the centre (note 2)', () => {
    expect(judged({ trainingSpace: 'outside', trainingSpaceArea: 50 })).toBeUndefined();
    expect(judged({ trainingSpace: 'inside', trainingSpaceArea: 49 })).toBe('TRAINING_SPACE_MISSING');
    expect(judged({ trainingSpace: 'none', trainingSpaceArea: 60 })).toBe('TRAINING_SPACE_MISSING');
  });

  it('§welfare.premises.accessible §welfare.premises.location: accessible, and the location confirmed', () => {
    expect(judged({ accessible: false })).toBe('PREMISES_NOT_ACCESSIBLE');
    expect(judged({ locationConfirmed: false })).toBe('LOCATION_NOT_CONFIRMED');
  });

  it('§welfare.premises.equipment: every item of Art. 3(b)', () => {
    expect(judged({ equipment: compliantVisit.equipment.filter((item) => item !== 'cctv') })).toBe('EQUIPMENT_INCOMPLETE');
  });

  it('§welfare.staff.social-worker: one per 150 files, a bachelor\'s in the listed fields, the note\'s only by the working group\'s decision', () => {
    expect(judged({ householdFiles: 300, socialWorkers: socialWorkers(2) })).toBeUndefined();
    expect(judged({ householdFiles: 301, socialWorkers: socialWorkers(2) })).toBe('TOO_FEW_SOCIAL_WORKERS');
    expect(judged({ householdFiles: 150, socialWorkers: socialWorkers(1, 'social-welfare') })).toBeUndefined();
    expect(judged({ householdFiles: 150, socialWorkers: socialWorkers(1, 'social-work', 'associate') })).toBe('TOO_FEW_SOCIAL_WORKERS');
    expect(judged({ householdFiles: 150, socialWorkers: socialWorkers(1, 'psychology') })).toBe('TOO_FEW_SOCIAL_WORKERS');
    expect(judged({ householdFiles: 150, socialWorkers: socialWorkers(1, 'psychology'), otherFieldsAllowed: true })).toBeUndefined();
    expect(judged({ householdFiles: 150, socialWorkers: socialWorkers(1, 'nursing'), otherFieldsAllowed: true })).toBe('TOO_FEW_SOCIAL_WORKERS');
    expect(judged({ householdFiles: 1, socialWorkers: [] })).toBe('TOO_FEW_SOCIAL_WORKERS');
  });

  it('§welfare.staff.specialist §welfare.staff.clerk: a qualified part-time specialist and clerk', () => {
    expect(judged({ specialists: [] })).toBe('SPECIALIST_NOT_QUALIFIED');
    expect(judged({ specialists: [{ field: 'other', level: 'master' }] })).toBe('SPECIALIST_NOT_QUALIFIED');
    expect(judged({ specialists: [{ field: 'speech-therapy', level: 'bachelor' }] })).toBeUndefined();
    expect(judged({ clerks: [{ level: 'below-diploma', computerSkills: true }] })).toBe('CLERK_NOT_QUALIFIED');
    expect(judged({ clerks: [{ level: 'diploma', computerSkills: false }] })).toBe('CLERK_NOT_QUALIFIED');
    expect(judged({ clerks: [] })).toBe('CLERK_NOT_QUALIFIED');
  });
});

describe('welfare-services-centre v3: the holder\'s degree (Art. 4(b))', () => {
  const degree = (...degrees: { level: string; field: string }[]) => refusal('degree', { education: { degrees, highest: degrees.at(-1) ?? null } });

  it('§welfare.holder.degree-field: a bachelor\'s or higher in a field related to the organisation\'s mission', () => {
    expect(degree({ level: 'bachelor', field: 'social-work' })).toBeUndefined();
    expect(degree({ level: 'bachelor', field: 'computer-engineering' })).toBe('DEGREE_FIELD_NOT_RELATED');
    expect(degree({ level: 'bachelor', field: 'psychology' }, { level: 'master', field: 'law' })).toBeUndefined();
    expect(degree({ level: 'bachelor', field: 'law' }, { level: 'master', field: 'counselling' })).toBeUndefined();
    expect(degree()).toBe('DEGREE_BELOW_BACHELOR');
  });
});
