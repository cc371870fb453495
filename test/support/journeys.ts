/**
 * The journeys many tests start from, taken over real HTTP as the portal and the offices take
 * them, the sandbox registries answering every inquiry on the way.
 * @example const { activityLicence } = await throughToActivityLicence(h, { tokens, applicant: 6101 });
 */
import { and, eq, isNull, like, or } from 'drizzle-orm';
import { applications, tasks } from '../../db/schema/index.js';
import type { ProcessResult } from '../../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, attachDocuments, decide, eventually, generatedApplication, processEnded, taskInInbox } from './api.js';
import { compliantVisit } from './site-visit.js';
import type { Harness } from './harness.js';
import type { OfficeTokens } from './tokens.js';

/**
 * How the journey decides each task of a welfare-services-centre application and of its manager's
 * licence process, by step: who decides (the task's role) and with what. The site visit records
 * compliant findings where its definition asks for them (version 3's `visited`), and says
 * `compliant` where it does not (versions 1 and 2).
 */
const DECISIONS: Record<string, { outcome: string; recorded?: Record<string, unknown> }[]> = {
  'initial-interview': [{ outcome: 'accept' }],
  'province-decision': [{ outcome: 'approve' }],
  'site-visit': [{ outcome: 'visited', recorded: compliantVisit }, { outcome: 'compliant' }],
  'specialist-interview': [{ outcome: 'pass' }],
  'training-certificate': [{ outcome: 'verified' }],
};

/** The steps the journey decides, in the order they come: the interview to the site visit, then the manager's two tasks. */
const IN_ORDER = ['initial-interview', 'province-decision', 'site-visit', 'specialist-interview', 'training-certificate'] as const;
export type ActivityLicenceTask = (typeof IN_ORDER)[number];

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
 * `applicant` (or takes the submitted `applicationId`), attaches the documents of Art. 6 as the
 * portal does (unless `from` is past the site visit), then decides every task of it and of its
 * manager's process (`DECISIONS`) as Ahvaz county and Khuzestan province, in whatever order they
 * open, until the process ends. `from` names the first task still to decide (those before it the
 * caller decided). Fails unless it ended with an activity licence.
 */
export async function throughToActivityLicence(
  h: Harness,
  opts: { tokens: OfficeTokens; from?: ActivityLicenceTask } & ({ applicant: Applicant } | { applicationId: string }),
): Promise<Licensed> {
  const { tokens } = opts;
  const applicationId = 'applicationId' in opts ? opts.applicationId : await submitted(h, tokens.portal, opts.applicant);
  // The portal attaches the documents of Art. 6 the province and the site visit check (version 3 requires them).
  if (IN_ORDER.indexOf(opts.from ?? 'initial-interview') <= IN_ORDER.indexOf('site-visit')) await attachDocuments(h, applicationId);
  await decideUntilEnded(h, tokens, applicationId, new Set(IN_ORDER.slice(IN_ORDER.indexOf(opts.from ?? 'initial-interview'))));
  const result = await processEnded(h, applicationId);
  const { 'principle-agreement': principleAgreement, 'activity-licence': activityLicence } = result.licences;
  if (!principleAgreement || !activityLicence) throw new Error(`application ${applicationId} ended without its licences: ${JSON.stringify(result)}`);
  return { applicationId, principleAgreement: principleAgreement.number, activityLicence: activityLicence.number, result };
}

/**
 * Decides the open tasks of an application and of its subprocesses (`<id>.<step>.<n>`) at the
 * `steps` given, as `DECISIONS` says and as the office whose role each task names, until the
 * application ends.
 */
async function decideUntilEnded(h: Harness, tokens: OfficeTokens, applicationId: string, steps: ReadonlySet<string>): Promise<void> {
  const office = { 'county-office': tokens.ahvaz, 'province-office': tokens.khuzestan } as Record<string, string>;
  await eventually(async () => {
    const [row] = await h.db.db.select({ status: applications.status }).from(applications).where(eq(applications.id, applicationId));
    if (row && row.status !== 'running') return true;
    const open = await h.db.db.select().from(tasks).where(and(
      eq(tasks.status, 'open'), isNull(tasks.decisionDelivery),
      or(eq(tasks.applicationId, applicationId), like(tasks.applicationId, `${applicationId}.%`)),
    ));
    for (const task of open) {
      const allowed = (task.outcomes as { name: string }[]).map((o) => o.name);
      const decision = steps.has(task.stepId) ? DECISIONS[task.stepId]?.find((d) => allowed.includes(d.outcome)) : undefined;
      if (decision && office[task.role]) await decide(h, office[task.role]!, task.id, decision.outcome, undefined, decision.recorded);
    }
    return undefined;
  }, `application ${applicationId} to end, its tasks decided`, 120_000);
}

/** Decides a centre manager licence's two tasks: the province's specialist interview passed, the county's training certificate verified. */
export async function passManagerInterviewAndCertificate(h: Harness, tokens: Pick<OfficeTokens, 'ahvaz' | 'khuzestan'>, applicationId: string): Promise<void> {
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'specialist-interview')).id, 'pass');
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'training-certificate')).id, 'verified');
}
