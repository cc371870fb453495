/** Read side of competitive calls: what views show, read outside workflows. */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applications, callEntries } from '../db/schema/index.js';

/** Entries of a call with their application's status, for views (outside workflows). */
export async function callEntriesWithStatus(db: Database, callId: string) {
  return db.select({ entry: callEntries, applicationStatus: applications.status, outcomeReason: applications.outcomeReason, county: applications.county, province: applications.province })
    .from(callEntries).innerJoin(applications, eq(applications.id, callEntries.applicationId))
    .where(and(eq(callEntries.callId, callId)));
}
