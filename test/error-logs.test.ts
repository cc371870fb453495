/**
 * A request that fails in the database is logged without the failing statement's parameters:
 * they are a person's name, birth date and sex, and logs are kept far longer than requests.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatement } from '../db/query.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { api } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
const lines: string[] = [];

beforeAll(async () => {
  h = await startHarness({ startWorker: false, logger: createLogger({ level: 'info' }, { write: (line: string) => { lines.push(line); } }) });
});
afterAll(async () => h?.close());

describe('error logs', () => {
  it('log a failed insert by its SQLSTATE, with none of its parameter values', async () => {
    // Every new application now fails in the database, with the row's values in the error.
    await runStatement(h.db.db, sql`alter table applications add constraint refuse_every_application check (false) not valid`);
    const applicant = { nationalCode: '0012345679', firstName: 'Zhinousse', lastName: 'Parvanehzadeh', birthDate: '1977-04-23', sex: 'female', religionRecognised: true };
    const portal = await h.issuer.mint({ role: 'portal' });
    lines.length = 0;
    const res = await api(h, 'POST', '/v1/applications', { token: portal, body: { licenceType: 'welfare-services-centre', county: 'ahvaz', applicant } });
    expect(res.status, res.text).toBe(500);

    const failed = lines.map((l) => JSON.parse(l) as { msg: string; err?: unknown }).find((l) => l.msg === 'request failed');
    expect(failed, lines.join('\n')).toBeDefined();
    const logged = lines.join('\n');
    for (const value of [applicant.firstName, applicant.lastName, applicant.birthDate, '"female"', 'female,', applicant.nationalCode]) {
      expect(logged, `the log carries ${value}`).not.toContain(value);
    }
    expect(logged).not.toMatch(/params:/);
    expect(logged).toContain('23514'); // check_violation: what failed is still there to see
  });
});
