/**
 * Persons as the registries see them: fixtures and generated applicants with
 * birth dates and degrees computed from the sandbox clock.
 */
import { FIXTURE_PROFILES, type DegreeLevel, type PersonProfile, type StudyField } from './fixtures.js';
import { generatedProfile } from './generated-person.js';
import { generateNationalCode as generateCode, isValidNationalCode } from './national-code.js';

export { isValidNationalCode } from './national-code.js';
export type { County, Sex, MilitaryStatus, DegreeLevel, StudyField, PersonProfile } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One university degree as the higher-education registry reports it. */
export interface Degree {
  level: DegreeLevel;
  field: StudyField;
  university: string;
  year: number;
}

/** A person with facts computed for a given sandbox instant. */
export interface Person extends PersonProfile {
  birthDate: string;
  degrees: Degree[];
  generated: boolean;
}

const GRADUATION_AGE: Record<DegreeLevel, number> = { bachelor: 22, master: 25, phd: 30 };
const UNIVERSITY: Record<DegreeLevel, string> = {
  bachelor: 'Shahid Chamran University of Ahvaz',
  master: 'Allameh Tabataba\'i University',
  phd: 'University of Social Welfare and Rehabilitation Sciences',
};
const LEVELS: readonly DegreeLevel[] = ['bachelor', 'master', 'phd'];

const FIXTURE_CODES: ReadonlySet<string> = new Set(FIXTURE_PROFILES.map((p) => p.nationalCode));

/** Birth date (YYYY-MM-DD) that makes someone `age` years old at `nowMs`: now − age years − 100 days. */
export function birthDateFor(age: number, nowMs: number): string {
  const d = new Date(nowMs);
  d.setUTCFullYear(d.getUTCFullYear() - age);
  return new Date(d.getTime() - 100 * DAY_MS).toISOString().slice(0, 10);
}

/** Degrees up to the highest one, all in the same field, graduated at typical ages; none without a degree. */
function degreesFor(profile: PersonProfile, birthYear: number): Degree[] {
  const highest = profile.highestDegree;
  if (!highest) return [];
  const top = LEVELS.indexOf(highest.level);
  return LEVELS.slice(0, top + 1).map((level) => ({
    level,
    field: highest.field,
    university: UNIVERSITY[level],
    year: birthYear + GRADUATION_AGE[level],
  }));
}

function materialise(profile: PersonProfile, nowMs: number, generated: boolean): Person {
  const birthDate = profile.bornOn ?? birthDateFor(profile.age, nowMs);
  return { ...profile, birthDate, degrees: degreesFor(profile, Number(birthDate.slice(0, 4))), generated };
}

/** The fixture persons with facts computed for sandbox time `nowMs`. */
export function fixturePersons(nowMs: number): Person[] {
  return FIXTURE_PROFILES.map((p) => materialise(p, nowMs, false));
}

/** The person with this national code: a fixture, a generated person, or undefined if the code is invalid. */
export function personFor(nationalCode: string, nowMs: number): Person | undefined {
  const fixture = FIXTURE_PROFILES.find((p) => p.nationalCode === nationalCode);
  if (fixture) return materialise(fixture, nowMs, false);
  if (!isValidNationalCode(nationalCode)) return undefined;
  return materialise(generatedProfile(nationalCode), nowMs, true);
}

/** A valid national code for a generated person (never a fixture's), deterministic in `seed`. */
export function generateNationalCode(seed: number): string {
  return generateCode(seed, FIXTURE_CODES);
}
