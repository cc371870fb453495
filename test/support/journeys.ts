/**
 * The journeys many tests start from, taken over real HTTP as the portal and the offices take
 * them, the sandbox registries answering every inquiry on the way.
 * @example const { activityLicence } = await throughToActivityLicence(h, { tokens, applicant: 6101 });
 */
import type { ProcessResult } from '../../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, decide, generatedApplication, processEnded, taskInInbox } from './api.js';
import type { Harness } from './harness.js';
import type { OfficeTokens } from './tokens.js';

/** The tasks between a welfare-services-centre application and its activity licence, in order: who decides, and how. */
const TO_ACTIVITY_LICENCE = [
  { stepId: 'initial-interview', office: 'ahvaz', outcome: 'accept' },
  { stepId: 'province-decision', office: 'khuzestan', outcome: 'approve' },
  { stepId: 'site-visit', office: 'ahvaz', outcome: 'compliant' },
] as const;

export type ActivityLicenceTask = (typeof TO_ACTIVITY_LICENCE)[number]['stepId'];

/** Who the application is for: a sandbox fixture person by national code, or a generated eligible one by seed. */
export type Applicant = string | number;

/** A welfare-services-centre application that reached its activity licence. */
export interface Licensed {
  applicationId: string;
  principleAgreement: string;
  activityLicence: string;
  /** The process's result, as `processEnded` gives it. */
  result: ProcessResult;
}

/** Submits a welfare-services-centre application in Ahvaz as the portal; returns its id. */
async function submitted(h: Harness, token: string, applicant: Applicant): Promise<string> {
  const body = typeof applicant === 'string' ? await applicationFor(h, applicant) : await generatedApplication(applicant);
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token, body });
  if (res.status !== 202) throw new Error(`application for ${applicant} answered ${res.status}: ${res.text}`);
  return res.body.applicationId;
}

/**
 * Takes a welfare-services-centre application to its activity licence: submits one for
 * `applicant` (or takes the submitted `applicationId`), then decides its tasks from `from` on
 * (the interview unless told) as Ahvaz county and Khuzestan province, until the process ends.
 * Fails unless it ended with an activity licence.
 */
export async function throughToActivityLicence(
  h: Harness,
  opts: { tokens: OfficeTokens; from?: ActivityLicenceTask } & ({ applicant: Applicant } | { applicationId: string }),
): Promise<Licensed> {
  const { tokens } = opts;
  const applicationId = 'applicationId' in opts ? opts.applicationId : await submitted(h, tokens.portal, opts.applicant);
  const first = TO_ACTIVITY_LICENCE.findIndex((task) => task.stepId === (opts.from ?? 'initial-interview'));
  for (const { stepId, office, outcome } of TO_ACTIVITY_LICENCE.slice(first)) {
    await decide(h, tokens[office], (await taskInInbox(h, tokens[office], applicationId, stepId)).id, outcome);
  }
  const result = await processEnded(h, applicationId);
  const { 'principle-agreement': principleAgreement, 'activity-licence': activityLicence } = result.licences;
  if (!principleAgreement || !activityLicence) throw new Error(`application ${applicationId} ended without its licences: ${JSON.stringify(result)}`);
  return { applicationId, principleAgreement: principleAgreement.number, activityLicence: activityLicence.number, result };
}

/** Decides a centre manager licence's two tasks: the province's specialist interview passed, the county's training certificate verified. */
export async function passManagerInterviewAndCertificate(h: Harness, tokens: Pick<OfficeTokens, 'ahvaz' | 'khuzestan'>, applicationId: string): Promise<void> {
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'specialist-interview')).id, 'pass');
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'training-certificate')).id, 'verified');
}
