/**
 * The fixed cast of test applicants. Ages are relative to the sandbox clock;
 * see persons.ts for how birth dates and degrees are computed from them.
 */
import { insuredAt, type SocialInsuranceProfile } from './social-insurance.js';

/** Counties (شهرستان) the sandbox places applicants in. */
export type County = 'ahvaz' | 'dezful' | 'arak';

/** First two digits of a workshop code in each county (sandbox convention). */
export const WORKSHOP_PREFIX: Record<County, string> = { ahvaz: '14', dezful: '16', arak: '28' };
/** The province of each county, as the civil registry names a place of birth. */
export const PROVINCE_OF: Record<County, string> = { ahvaz: 'khuzestan', dezful: 'khuzestan', arak: 'markazi' };
export type Sex = 'male' | 'female';
export type MilitaryStatus = 'served' | 'exempt' | 'liable' | 'not-applicable';
export type DegreeLevel = 'bachelor' | 'master' | 'phd';

/** Field-of-study ids (kebab-case English) used by the higher-education registry. */
export const STUDY_FIELDS = [
  'social-work',
  'psychology',
  'rehabilitation',
  'counselling',
  'nursing',
  'computer-engineering',
  'sociology',
  'law',
] as const;
export type StudyField = (typeof STUDY_FIELDS)[number];

/** Everything the registries know about a person, with age instead of birth date. */
export interface PersonProfile {
  nationalCode: string;
  description: string;
  firstName: string;
  lastName: string;
  sex: Sex;
  /** The age at any sandbox time: the birth date moves with the clock (see persons.ts), unless `bornOn` is set. */
  age: number;
  /**
   * A birth date that does not move (YYYY-MM-DD): the applicant of the OpenAPI examples, which
   * integrators send as they are and the civil registry's record must match. `age` is then the
   * age at Nowruz 1405.
   */
  bornOn?: string;
  alive: boolean;
  /** The citizenship the civil registry records (ISO 3166 alpha-2); Iranian (`IR`) when not set. */
  citizenship?: string;
  /** Where the person lives and works; the civil registry records it as the place of birth too. */
  county: County;
  military: MilitaryStatus;
  /** The highest university degree; null for a person with none (a diploma at most). */
  highestDegree: { level: DegreeLevel; field: StudyField } | null;
  criminalRecord: boolean;
  securityClearance: 'clear' | 'denied';
  /** Sandbox time the security registry takes to answer, when not the default. */
  securityClearanceDelayMs?: number;
  addiction: 'negative' | 'positive';
  /** The employer's workshop and its premium payments, as the social insurance registry knows them. */
  socialInsurance: SocialInsuranceProfile;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const clean = {
  alive: true,
  criminalRecord: false,
  securityClearance: 'clear',
  addiction: 'negative',
} as const;

/** The fixture applicants, in the order documented for testers. */
export const FIXTURE_PROFILES: readonly PersonProfile[] = [
  { ...clean, nationalCode: '0012345679', description: 'man, born 1985-12-11 (40 at Nowruz 1405), military service done, master\'s in social work, clear everywhere',
    firstName: 'علی', lastName: 'رضایی', sex: 'male', age: 40, bornOn: '1985-12-11', county: 'ahvaz', military: 'served',
    highestDegree: { level: 'master', field: 'social-work' }, socialInsurance: insuredAt('1410020011', 7) },
  { ...clean, nationalCode: '0023456787', description: 'man, 24, served, bachelor\'s in psychology, clear everywhere',
    firstName: 'محمد', lastName: 'کریمی', sex: 'male', age: 24, county: 'dezful', military: 'served',
    highestDegree: { level: 'bachelor', field: 'psychology' }, socialInsurance: insuredAt('1610030027', 4) },
  { ...clean, nationalCode: '0034567895', description: 'man, 38, served, master\'s in psychology, has a criminal record',
    firstName: 'حسین', lastName: 'موسوی', sex: 'male', age: 38, county: 'arak', military: 'served',
    highestDegree: { level: 'master', field: 'psychology' }, criminalRecord: true, socialInsurance: insuredAt('2810040035', 9) },
  { ...clean, nationalCode: '0045678911', description: 'man, 45, served, master\'s in counselling, security clearance answers "clear" after 10 days',
    firstName: 'رضا', lastName: 'احمدی', sex: 'male', age: 45, county: 'ahvaz', military: 'served',
    highestDegree: { level: 'master', field: 'counselling' }, securityClearanceDelayMs: 10 * DAY_MS, socialInsurance: insuredAt('1410050041', 12) },
  { ...clean, nationalCode: '0056789122', description: 'woman, 33, master\'s in nursing, security clearance denied',
    firstName: 'زهرا', lastName: 'حسینی', sex: 'female', age: 33, county: 'dezful', military: 'not-applicable',
    highestDegree: { level: 'master', field: 'nursing' }, securityClearance: 'denied', socialInsurance: insuredAt('1610060052', 5) },
  { ...clean, nationalCode: '0067891233', description: 'man, 41, served, master\'s in social work, addiction test positive',
    firstName: 'مهدی', lastName: 'جعفری', sex: 'male', age: 41, county: 'arak', military: 'served',
    highestDegree: { level: 'master', field: 'social-work' }, addiction: 'positive', socialInsurance: insuredAt('2810070063', 8) },
  { ...clean, nationalCode: '0078912342', description: 'man, 27, master\'s in psychology, liable for military service (not served)',
    firstName: 'امیر', lastName: 'صادقی', sex: 'male', age: 27, county: 'ahvaz', military: 'liable',
    highestDegree: { level: 'master', field: 'psychology' }, socialInsurance: insuredAt('1410080072', 3) },
  { ...clean, nationalCode: '0089123451', description: 'man, 60, served, master\'s in social work, deceased',
    firstName: 'عباس', lastName: 'نوری', sex: 'male', age: 60, county: 'dezful', military: 'served',
    highestDegree: { level: 'master', field: 'social-work' }, alive: false, socialInsurance: insuredAt('1610090081', 6) },
  { ...clean, nationalCode: '0091234565', description: 'woman, 31, bachelor\'s in psychology only, clear everywhere',
    firstName: 'مریم', lastName: 'کاظمی', sex: 'female', age: 31, county: 'arak', military: 'not-applicable',
    highestDegree: { level: 'bachelor', field: 'psychology' }, socialInsurance: insuredAt('2810100095', 4) },
  { ...clean, nationalCode: '0013579134', description: 'woman, 35, PhD in rehabilitation, clear everywhere',
    firstName: 'فاطمه', lastName: 'محمدی', sex: 'female', age: 35, county: 'ahvaz', military: 'not-applicable',
    highestDegree: { level: 'phd', field: 'rehabilitation' }, socialInsurance: insuredAt('1410110013', 15) },
  { ...clean, nationalCode: '0024681350', description: 'woman, 39, master\'s in social work, clear everywhere except social insurance: her employer\'s premiums are two quarters in arrears',
    firstName: 'نرگس', lastName: 'طاهری', sex: 'female', age: 39, county: 'dezful', military: 'not-applicable',
    highestDegree: { level: 'master', field: 'social-work' }, socialInsurance: insuredAt('1610120024', 6, 2) },
  // Art. 4(a) of seed 002 asks for Iranian citizenship: the one person the civil registry records as not Iranian.
  { ...clean, nationalCode: '0035792469', description: 'woman, 36, master\'s in social work, clear everywhere, but the civil registry records her citizenship as Afghan (AF), not Iranian',
    firstName: 'سارا', lastName: 'رحیمی', sex: 'female', age: 36, citizenship: 'AF', county: 'arak', military: 'not-applicable',
    highestDegree: { level: 'master', field: 'social-work' }, socialInsurance: insuredAt('2810130035', 4) },
  // Health Services Office call (branch health, seed 000): a man exempt from military service with a
  // bachelor's outside the health fields (FAQ 10, FAQ 31), and a man with no university degree (FAQ 3 item 5).
  { ...clean, nationalCode: '0241357918', description: 'man, 30, exempt from military service, bachelor\'s in law, clear everywhere',
    firstName: 'بهرام', lastName: 'یزدانی', sex: 'male', age: 30, county: 'arak', military: 'exempt',
    highestDegree: { level: 'bachelor', field: 'law' }, socialInsurance: insuredAt('2810140046', 3) },
  { ...clean, nationalCode: '0242468020', description: 'man, 29, served, no university degree (a diploma only), clear everywhere',
    firstName: 'کامران', lastName: 'شریفی', sex: 'male', age: 29, county: 'arak', military: 'served',
    highestDegree: null, socialInsurance: insuredAt('2810150057', 2) },
  // The centre manager's rules (seed 002, Art. 5(b)): a master's, but in a field the article does not list.
  { ...clean, nationalCode: '0231000014', description: 'woman, 34, master\'s in law (a field Art. 5(b) of seed 002 does not list for a centre manager), clear everywhere',
    firstName: 'لیلا', lastName: 'عباسی', sex: 'female', age: 34, county: 'ahvaz', military: 'not-applicable',
    highestDegree: { level: 'master', field: 'law' }, socialInsurance: insuredAt('1410140014', 5) },
  // The Welfare Services Centre's holder needs a bachelor's related to the organisation's mission
  // (seed 002, Art. 4(b); process version 3): a holder with a bachelor's in an unrelated field.
  { ...clean, nationalCode: '0221000011', description: 'woman, 34, bachelor\'s in computer engineering (a field unrelated to the welfare organisation\'s mission), clear everywhere',
    firstName: 'لیلا', lastName: 'فرهادی', sex: 'female', age: 34, county: 'ahvaz', military: 'not-applicable',
    highestDegree: { level: 'bachelor', field: 'computer-engineering' }, socialInsurance: insuredAt('1410140011', 3) },
];
