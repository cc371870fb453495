/**
 * The catalogue of government registries Parvaneh inquires of, and the answer check the callback
 * service shares with the adapters. A reply that does not match is a failure with a clear reason, never
 * a crash further down the process.
 */
import { addiction } from './addiction.js';
import { civilRegistry } from './civil-registry.js';
import type { InquiryEndpoint } from './endpoint.js';
import { criminalRecord } from './criminal-record.js';
import { higherEducation } from './higher-education.js';
import { explainMismatch } from './issues.js';
import { militaryService } from './military-service.js';
import { securityClearance } from './security-clearance.js';
import { socialInsurance } from './social-insurance.js';

export type { InquiryBody, InquiryEndpoint } from './endpoint.js';
export { describeIssues, explainMismatch } from './issues.js';
export { inquiryReply, readReply, type RegistryReply } from './reply.js';

/** Every registry a process may inquire of, by name. @example REGISTRIES['social-insurance'].mode // 'sync' */
export const REGISTRIES: Readonly<Record<string, InquiryEndpoint>> = Object.fromEntries(
  [civilRegistry, securityClearance, criminalRecord, addiction, militaryService, higherEducation, socialInsurance]
    .map((endpoint) => [endpoint.name, endpoint]),
);

/** Checks an answer against its registry's schema. @example checkAnswer('addiction', { status: 'negative' }) // { ok: false, … } */
export function checkAnswer(registry: string, answer: unknown): { ok: true; answer: Record<string, unknown> } | { ok: false; error: string } {
  const endpoint = Object.hasOwn(REGISTRIES, registry) ? REGISTRIES[registry] : undefined;
  if (!endpoint) return { ok: false, error: `no answer schema for registry ${registry}` };
  const parsed = endpoint.answer.safeParse(answer);
  if (parsed.success) return { ok: true, answer: parsed.data };
  return { ok: false, error: `${registry} answered an unexpected shape ${explainMismatch(endpoint.answer, answer, parsed.error)}` };
}
