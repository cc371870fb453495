/** The centre manager licence: the master's rule, the bachelor's exception, interview, certificate. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../db/schema/index.js';
import { api, applicationFor, decide, taskInInbox, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { passManagerInterviewAndCertificate } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

async function submit(nationalCode: string): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode, 'centre-manager') });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

const ended = (applicationId: string) => processEnded(h, applicationId);

const interviewAndCertificate = (applicationId: string) => passManagerInterviewAndCertificate(h, tokens, applicationId);

describe('centre manager licence', () => {
  it('licenses a PhD holder in a listed field after the interview and the training certificate', async () => {
    const applicationId = await submit('0013579134');
    await interviewAndCertificate(applicationId);
    const result = await ended(applicationId);
    expect(result).toMatchObject({ outcome: 'approved', reason: 'MANAGER_LICENCE_ISSUED' });
    expect(result.licences['manager-licence']!.number).toMatch(/^WSC-MG-/);
  });

  it('lets the province accept a bachelor\'s holder where no master\'s holder exists, with a reason', async () => {
    const applicationId = await submit('0091234565');
    const exception = await taskInInbox(h, tokens.khuzestan, applicationId, 'bachelor-exception');
    expect(exception.outcomes.map((o) => o.name)).toEqual(['allow', 'refuse']);
    await decide(h, tokens.khuzestan, exception.id, 'allow', 'no master\'s holder applied in Ahvaz');
    await interviewAndCertificate(applicationId);
    expect(await ended(applicationId)).toMatchObject({ outcome: 'approved' });
  });

  it('refuses a bachelor\'s holder when the province requires a master\'s', async () => {
    const applicationId = await submit('0091234565');
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'bachelor-exception')).id, 'refuse');
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'DEGREE_NOT_ELIGIBLE' });
  });

  it('rejects a candidate whose addiction test is positive', async () => {
    const applicationId = await submit('0067891233');
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'ADDICTION_TEST_POSITIVE' });
  });

  it('refuses a candidate whose birth date differs from the civil registry\'s record, before any interview', async () => {
    const body = await applicationFor(h, '0013579134', 'centre-manager');
    const birthDate = `${Number(body.applicant.birthDate.slice(0, 4)) - 1}${body.applicant.birthDate.slice(4)}`;
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: { ...body, applicant: { ...body.applicant, birthDate } } });
    expect(res.status, res.text).toBe(202);
    expect(await ended(res.body.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'CIVIL_REGISTRY_BIRTH_DATE_MISMATCH', stepId: 'identity' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, res.body.applicationId))).toEqual([]);
  });

  it('rejects a failed specialist interview', async () => {
    const applicationId = await submit('0012345679');
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'specialist-interview')).id, 'fail', 'not enough experience with the centre\'s services');
    expect(await ended(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'FAILED_SPECIALIST_INTERVIEW' });
  });
});
