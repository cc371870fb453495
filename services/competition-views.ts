/** Read side of competitive calls: what views show, read outside workflows. */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applications, competitionEntries } from '../db/schema/index.js';

/** Entries of a call with their application's status, for views (outside workflows). */
export async function competitionEntriesWithStatus(db: Database, callId: string) {
  return db.select({
    entry: competitionEntries, applicationStatus: applications.status, outcomeReason: applications.outcomeReason, county: applications.county, province: applications.province,
    facts: applications.facts,
  })
    .from(competitionEntries).innerJoin(applications, eq(applications.id, competitionEntries.applicationId))
    .where(and(eq(competitionEntries.callId, callId)));
}
