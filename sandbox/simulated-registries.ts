/**
 * The simulated external registries and how each answers an inquiry (استعلام), and the
 * simulated SMS operator, which takes the same envelope at `/registries/sms/inquiries`.
 * Sync registries answer in the HTTP response; async ones accept (202) and
 * call the gateway back later.
 */
import { randomUUID } from 'node:crypto';
import type { Person } from './persons.js';
import { socialInsuranceAnswer } from './social-insurance.js';
import { PROVINCE_OF } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Names of the simulated registries, as used in URLs. */
export const REGISTRY_NAMES = [
  'civil-registry',
  'security-clearance',
  'criminal-record',
  'addiction',
  'military-service',
  'higher-education',
  'social-insurance',
  'sms',
] as const;
export type RegistryName = (typeof REGISTRY_NAMES)[number];

/** What a registry is asked about: a person (or, for sms, possibly just a mobile number). */
export interface InquirySubject {
  nationalCode?: string;
  mobile?: string;
}

/** Inputs to computing an answer. */
export interface AnswerInput {
  subject: InquirySubject;
  /** The person for `subject.nationalCode`, if the code is known. */
  person: Person | undefined;
  nowMs: number;
}

/** How a registry behaves. */
export interface RegistryBehaviour {
  mode: 'sync' | 'async';
  answer(input: AnswerInput): Record<string, unknown>;
  /** Async only: sandbox time until the answer is due. */
  delayMs?(person: Person | undefined, defaultDelayMs: number): number;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Answer for a national code no registry knows. */
const notFound = (subject: InquirySubject) => ({ nationalCode: subject.nationalCode, found: false });

/** Wraps a per-person answer so unknown persons get `{ nationalCode, found: false }`. */
function aboutPerson(fn: (p: Person, nowMs: number) => Record<string, unknown>) {
  return ({ subject, person, nowMs }: AnswerInput) => (person ? fn(person, nowMs) : notFound(subject));
}

/** Behaviour of every registry, keyed by name. */
export const REGISTRIES: Record<RegistryName, RegistryBehaviour> = {
  'civil-registry': {
    mode: 'sync',
    answer: aboutPerson((p) => ({
      nationalCode: p.nationalCode,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      sex: p.sex,
      alive: p.alive,
      citizenship: p.citizenship ?? 'IR',
      birthPlace: { county: p.county, province: PROVINCE_OF[p.county] },
    })),
  },
  'security-clearance': {
    mode: 'async',
    answer: aboutPerson((p) => ({ status: p.securityClearance })),
    delayMs: (p, fallback) => p?.securityClearanceDelayMs ?? fallback,
  },
  'criminal-record': {
    mode: 'async',
    answer: aboutPerson((p) => ({ status: p.criminalRecord ? 'record' : 'clear' })),
    delayMs: (_p, fallback) => fallback,
  },
  addiction: {
    mode: 'sync',
    answer: aboutPerson((p, nowMs) => ({ status: p.addiction, certificateValidUntil: isoDate(nowMs + 180 * DAY_MS) })),
  },
  'military-service': {
    mode: 'sync',
    answer: aboutPerson((p) => ({ status: p.sex === 'female' ? 'not-applicable' : p.military })),
  },
  'higher-education': {
    mode: 'sync',
    answer: aboutPerson((p) => {
      const top = p.degrees[p.degrees.length - 1];
      return { degrees: p.degrees, highest: top ? { level: top.level, field: top.field } : null };
    }),
  },
  'social-insurance': {
    mode: 'sync',
    answer: aboutPerson((p, nowMs) => socialInsuranceAnswer(p.nationalCode, p.socialInsurance, nowMs)),
  },
  sms: {
    mode: 'sync',
    answer: () => ({ messageId: randomUUID(), status: 'queued' }),
  },
};

/** Type guard for registry names taken from a URL. */
export function isRegistryName(name: string): name is RegistryName {
  return (REGISTRY_NAMES as readonly string[]).includes(name);
}
