/**
 * Generated persons: any valid national code that is not a fixture gets
 * deterministic facts derived from its digits, so load tests can invent
 * applicants. They are eligible everywhere (clear, served if male, insured
 * and paid up).
 */
import { WORKSHOP_PREFIX, type County, type PersonProfile, type StudyField } from './fixtures.js';
import { insuredAt } from './social-insurance.js';

const MALE_NAMES = ['علی', 'محمد', 'حسن', 'حسین', 'رضا', 'مهدی', 'امیر', 'سعید', 'مجید', 'کاوه'];
const FEMALE_NAMES = ['فاطمه', 'زهرا', 'مریم', 'سارا', 'نرگس', 'لیلا', 'مینا', 'الهام', 'شیرین', 'پریسا'];
const LAST_NAMES = ['رضایی', 'کریمی', 'موسوی', 'احمدی', 'حسینی', 'جعفری', 'صادقی', 'نوری', 'کاظمی', 'محمدی', 'عباسی', 'طاهری'];
const COUNTIES: readonly County[] = ['ahvaz', 'dezful', 'arak'];
/**
 * What generated persons study: fields the Welfare Services Centre instruction lists for a centre's
 * holder and its manager alike (seed 002, Art. 3(c), 4(b), 5(b)), so that they stay eligible
 * everywhere (computer engineering and law are not; sociology is not on the manager's list).
 */
const ELIGIBLE_FIELDS: readonly StudyField[] = ['social-work', 'psychology', 'rehabilitation', 'counselling', 'nursing'];

/** FNV-1a over the code's characters: a stable per-person hash. */
function hashCode(code: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) {
    h ^= code.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length] as T;
}

/** Profile of a generated (non-fixture) person with a valid national code. */
export function generatedProfile(nationalCode: string): PersonProfile {
  const h = hashCode(nationalCode);
  const sex = (h & 1) === 0 ? 'male' : 'female';
  const age = 26 + ((h >>> 1) % 35); // 26..60
  const county = pick(COUNTIES, h >>> 17);
  const workshopCode = WORKSHOP_PREFIX[county] + String(h % 100_000_000).padStart(8, '0');
  return {
    nationalCode,
    description: 'generated person: eligible everywhere',
    firstName: pick(sex === 'male' ? MALE_NAMES : FEMALE_NAMES, h >>> 7),
    lastName: pick(LAST_NAMES, h >>> 12),
    sex,
    age,
    alive: true,
    county,
    military: sex === 'male' ? 'served' : 'not-applicable',
    highestDegree: { level: 'master', field: pick(ELIGIBLE_FIELDS, h >>> 20) },
    criminalRecord: false,
    securityClearance: 'clear',
    addiction: 'negative',
    socialInsurance: insuredAt(workshopCode, 2 + ((h >>> 9) % 29)), // 2..30 staff
  };
}
