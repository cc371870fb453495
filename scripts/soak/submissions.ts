/**
 * The soak's applications (the long soak and the cluster's fault run submit the same ones): a Welfare
 * Services Centre application per seed, submitted over HTTP with an idempotency key and retried
 * with the same key through what a client must expect from a busy or restarting deployment.
 */
import { generateNationalCode, personFor } from '../../sandbox/persons.js';

/** Rejections the applications are built to meet (every tenth applicant is under 25). */
export const RULE_REASONS = new Set(['AGE_BELOW_MINIMUM']);

/** A generated person as an application names one. */
function person(code: string, birthDate?: string) {
  const p = personFor(code, Date.now())!;
  return { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: birthDate ?? p.birthDate, sex: p.sex, religionRecognised: true };
}

/**
 * An application body for generated person `seed`, naming another generated person as the centre's
 * manager (who goes through the manager licence process); every tenth states an age of 24.
 */
function applicationBody(seed: number) {
  const underAge = seed % 10 === 9;
  const birthDate = underAge ? new Date(Date.now() - 24.5 * 365.25 * 86_400_000).toISOString().slice(0, 10) : undefined;
  return {
    licenceType: 'welfare-services-centre', county: 'ahvaz',
    applicant: person(generateNationalCode(500_000 + seed), birthDate),
    manager: { kind: 'nominee', person: person(generateNationalCode(800_000 + seed)) },
  };
}

/**
 * Submits over HTTP with an idempotency key, retrying the same key through 409 in-progress, 429,
 * 5xx and cut connections for up to `patienceMs`: a key whose first request died with its gateway
 * stays claimed for the gateway's lease (IDEMPOTENCY_LEASE_SECONDS, 120 s by default), as a
 * client must expect.
 */
export async function submit(gatewayUrl: string, token: string, seed: number, retries: { count: number }, patienceMs = 300_000): Promise<string> {
  const body = JSON.stringify(applicationBody(seed));
  const key = `soak-${seed}`;
  const giveUp = Date.now() + patienceMs;
  let last = '';
  for (;;) {
    try {
      const res = await fetch(`${gatewayUrl}/v1/applications`, {
        method: 'POST', body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      });
      const text = await res.text();
      if (res.status === 202) return (JSON.parse(text) as { applicationId: string }).applicationId;
      if (res.status !== 409 && res.status !== 429 && res.status < 500) throw new Error(`submission ${seed} refused: ${res.status} ${text}`);
      last = `${res.status} ${text.slice(0, 200)}`;
    } catch (error) {
      if ((error as Error).message.startsWith('submission')) throw error;
      last = (error as Error).message;
    }
    retries.count += 1;
    if (Date.now() > giveUp) throw new Error(`submission ${seed} kept failing for ${patienceMs / 1000} s; last: ${last}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
