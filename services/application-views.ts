/**
 * Applications as people read them: the office's full view (with documents and dates in both
 * calendars), the filtered list, and the citizen's tracking view without personal data.
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { formatJalali } from '../dsl/calendar.js';
import type { Text } from '../dsl/schema.js';
import { applications } from '../db/schema/index.js';
import { getApplication } from './applications.js';
import type { ServiceContext, ServiceDeps } from './context.js';
import { listDocuments } from './documents.js';
import { forbidden, notFound } from './errors.js';
import { normaliseText } from './identifiers.js';
import { licenceView } from './licences.js';
import { taskView } from './task-views.js';

export type ApplicationStatus = (typeof applications.$inferSelect)['status'];

/** The application with its timeline, tasks, inquiries, licences and documents (metadata only). */
export async function viewApplication({ ctx, applicationId }: { ctx: ServiceContext; applicationId: string }) {
  const found = await getApplication({ ctx, applicationId });
  const documents = await listDocuments({ ctx, applicationId });
  const { calendar } = ctx.deps;
  return {
    ...found,
    tasks: found.tasks.map((t) => taskView(t, calendar, found.application, ctx.actor, (ctx.deps.now ?? Date.now)())),
    licences: found.licences.map((l) => licenceView(ctx.deps, l, found.application.facts)),
    documents,
  };
}

/** Applications in the caller's scope, newest first, filtered by licence type and status. */
export async function searchApplications({ ctx, licenceType, status, limit = 50 }: { ctx: ServiceContext; licenceType?: string; status?: ApplicationStatus; limit?: number }) {
  const { actor } = ctx;
  const where: SQL[] = [];
  if (actor.role === 'county-office') where.push(eq(applications.county, actor.county ?? ''));
  else if (actor.role === 'province-office') where.push(eq(applications.province, actor.province ?? ''));
  else if (actor.role !== 'portal') throw forbidden('listing applications is for the portal and offices');
  if (status) where.push(eq(applications.status, status));
  if (licenceType) where.push(eq(applications.licenceType, licenceType));
  return ctx.deps.db.select().from(applications).where(and(...where)).orderBy(desc(applications.createdAt)).limit(Math.min(limit, 200));
}

export interface TrackingView {
  trackingCode: string;
  licenceType: string;
  licenceTypeTitle: Text | null;
  status: ApplicationStatus;
  currentStep: string | null;
  currentStepTitle: Text | null;
  submittedAt: Date;
  submittedAtJalali: string;
  updatedAt: Date;
  updatedAtJalali: string;
}

/** The citizen's view by tracking code (کد پیگیری): where the application stands, no personal data. */
export async function trackApplication({ deps, trackingCode }: { deps: ServiceDeps; trackingCode: string }): Promise<TrackingView> {
  const code = normaliseText(trackingCode).toUpperCase();
  const [row] = await deps.db.select().from(applications).where(eq(applications.trackingCode, code));
  if (!row) throw notFound({ fa: 'کد پیگیری یافت نشد', en: 'tracking code not found' });
  const definition = deps.catalogue.pinned(row.definitionHash)?.definition;
  const step = row.currentStep ? definition?.steps[row.currentStep] : undefined;
  return {
    trackingCode: row.trackingCode, licenceType: row.licenceType, licenceTypeTitle: definition?.title ?? null,
    status: row.status, currentStep: row.currentStep, currentStepTitle: step?.title ?? null,
    submittedAt: row.createdAt, submittedAtJalali: formatJalali(row.createdAt.getTime(), deps.calendar, true),
    updatedAt: row.updatedAt, updatedAtJalali: formatJalali(row.updatedAt.getTime(), deps.calendar, true),
  };
}
