/**
 * Issued licences: the offices' and the portal's view (in scope), and the public verification
 * anyone can run by licence number, around the clock, without personal data.
 */
import { and, asc, desc, eq, gt, like, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { timingSafeEqual } from 'node:crypto';
import { formatJalali } from '../dsl/calendar.js';
import type { Text } from '../dsl/schema.js';
import type { Database } from '../db/client.js';
import { preparedPerDatabase, runPrepared } from '../db/query.js';
import { applications, licences } from '../db/schema/index.js';
import { inScope, type ServiceContext, type ServiceDeps } from './context.js';
import { forbidden, notFound } from './errors.js';
import { PROVINCES, provinceOf } from './geography.js';
import { normaliseText } from './identifiers.js';
import { ttlCache, type TtlCache } from '../platform/ttl-cache.js';

export type LicenceStatus = 'active' | 'expired' | 'suspended' | 'revoked' | 'closed';

type LicenceRow = typeof licences.$inferSelect;

export interface LicenceView {
  number: string;
  kind: string;
  title: Text;
  licenceType: string;
  licenceTypeTitle: Text | null;
  applicationId: string;
  /** Not shown to integrators, who need the register, not the people in it. */
  holderNationalCode?: string;
  holderName: string | null;
  county: string;
  province: string;
  /** The stored status, with an active licence past its end reported as `expired`. */
  status: LicenceStatus;
  /** Genuine and in force now: active and within its validity. */
  valid: boolean;
  validFrom: Date;
  validFromJalali: string;
  validUntil: Date;
  validUntilJalali: string;
  /** Printed with the number for public verification: for those who issue and print the licence, not integrators. */
  verificationCode?: string;
}

export interface LicenceVerification {
  number: string;
  kind: string;
  title: Text;
  licenceType: { id: string; title: Text | null };
  status: LicenceStatus;
  valid: boolean;
  validFrom: Date;
  validFromJalali: string;
  validUntil: Date;
  validUntilJalali: string;
  /** The holder's name with all but each name's first letter hidden: `ع*** ر***`. */
  holderName: string | null;
  county: { id: string; title: Text | null };
  checkedAt: Date;
  checkedAtJalali: string;
}

/** A licence number as people type it: Persian digits, lower case and spaces allowed. */
export const normaliseLicenceNumber = (number: string) => normaliseText(number).replace(/\s+/g, '').toUpperCase();

const now = (deps: ServiceDeps) => (deps.now ?? Date.now)();

function effectiveStatus(row: LicenceRow, atMs: number): LicenceStatus {
  return row.status === 'active' && row.validUntil.getTime() <= atMs ? 'expired' : row.status;
}

function holderNameOf(facts: unknown): string | null {
  const applicant = (facts as { applicant?: { firstName?: unknown; lastName?: unknown } } | null)?.applicant;
  const names = [applicant?.firstName, applicant?.lastName].filter((n): n is string => typeof n === 'string' && n.length > 0);
  return names.length ? names.join(' ') : null;
}

/** `علی رضایی` → `ع*** ر***`: enough to recognise, not enough to identify. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  return name.split(/\s+/).filter(Boolean).map((word) => `${[...word][0]}***`).join(' ');
}

function licenceTypeTitle(deps: ServiceDeps, licenceType: string, definitionHash: string): Text | null {
  const loaded = deps.catalogue.pinned(definitionHash) ?? deps.catalogue.versions(licenceType)[0];
  return loaded?.definition.title ?? null;
}

/** A licence as offices read it; `facts` are its application's (the holder's name, where the register has none). */
export function licenceView(deps: ServiceDeps, row: LicenceRow, facts: unknown, atMs = now(deps)): LicenceView {
  const status = effectiveStatus(row, atMs);
  return {
    number: row.number, kind: row.kind, title: row.title as Text, licenceType: row.licenceType,
    licenceTypeTitle: licenceTypeTitle(deps, row.licenceType, row.definitionHash),
    applicationId: row.applicationId, holderNationalCode: row.holderNationalCode, holderName: holderNameOf(row.holder ? { applicant: row.holder } : facts),
    county: row.county, province: row.province, status, valid: status === 'active' && row.issuedAt.getTime() <= atMs,
    validFrom: row.issuedAt, validFromJalali: formatJalali(row.issuedAt.getTime(), deps.calendar),
    validUntil: row.validUntil, validUntilJalali: formatJalali(row.validUntil.getTime(), deps.calendar),
  };
}

/**
 * The queries every licence read runs, built once per database and prepared (postgres.js keeps
 * them prepared on each connection): a read is then one round trip that PostgreSQL neither parses
 * nor plans again, and Drizzle builds no SQL for it.
 */
function licenceQueries(db: Database) {
  const number = sql.placeholder('number');
  return {
    withFacts: db.select({ licence: licences, facts: applications.facts }).from(licences)
      .innerJoin(applications, eq(applications.id, licences.applicationId)).where(eq(licences.number, number)).prepare('licence_with_facts'),
    withKin: licenceWithKin(db, number),
  };
}

/**
 * `GET /v1/licences/{n}` in one statement (one round trip instead of two in a row): the licence
 * with its application's facts (`kin` 0), the licence it stands on (1) and those that stand on it
 * (2, oldest first), as rows of one shape.
 */
function licenceWithKin(db: Database, number: Placeholder) {
  const kin = (n: number) => sql<number>`${sql.raw(String(n))}::int`.as('kin');
  const self = alias(licences, 'self');
  const parentOf = db.select({ dependsOn: self.dependsOn }).from(self).where(eq(self.number, number));
  return db.select({ kin: kin(0), licence: licences, facts: applications.facts }).from(licences)
    .innerJoin(applications, eq(applications.id, licences.applicationId)).where(eq(licences.number, number))
    .unionAll(db.select({ kin: kin(1), licence: licences, facts: sql<unknown>`null::jsonb`.as('facts') }).from(licences).where(eq(licences.number, sql`(${parentOf})`)))
    .unionAll(db.select({ kin: kin(2), licence: licences, facts: sql<unknown>`null::jsonb`.as('facts') }).from(licences).where(eq(licences.dependsOn, number)))
    .orderBy(sql`1`, asc(licences.issuedAt), asc(licences.number))
    .prepare('licence_with_kin');
}
const queriesOf = preparedPerDatabase(licenceQueries);

async function loadLicence(deps: ServiceDeps, licenceNumber: string) {
  const number = normaliseLicenceNumber(licenceNumber);
  const [found] = await runPrepared(queriesOf(deps.db).withFacts, { number });
  return found ?? refuseMissing(number);
}

function refuseMissing(number: string): never {
  throw notFound({ fa: 'پروانه یافت نشد', en: 'licence not found' }, `no licence ${number}`);
}

function refuseOutOfScope(ctx: ServiceContext, licence: LicenceRow): void {
  if (!inScope(ctx.actor, licence)) throw forbidden(`licence ${licence.number} is outside your scope`);
}

/**
 * A licence and its application's facts, if it is in the caller's scope: not found, then out of scope.
 * @example const { licence } = await licenceInScope(ctx, 'WSC-AL-1405-000001')
 */
export async function licenceInScope(ctx: ServiceContext, licenceNumber: string) {
  const found = await loadLicence(ctx.deps, licenceNumber);
  refuseOutOfScope(ctx, found.licence);
  return found;
}

export interface LicenceFilter {
  status?: LicenceStatus;
  licenceType?: string;
  county?: string;
  holderNationalCode?: string;
  /** The number, or its beginning. */
  number?: string;
  /** Part of the holder's name (offices only). */
  holderName?: string;
  limit?: number;
}

/** The roles that may look licences up by part of the holder's name: the offices, not the portal or integrators. */
const NAME_SEARCHERS: readonly ServiceContext['actor']['role'][] = ['county-office', 'province-office', 'national-office'];

/** `%`, `_` and `\\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The holder's name as the register has it (the holder kept on the licence, else its application's applicant). */
const holderNameSql = sql`concat_ws(' ', coalesce(${licences.holder}, ${applications.facts}->'applicant')->>'firstName', coalesce(${licences.holder}, ${applications.facts}->'applicant')->>'lastName')`;

/** Licences in the caller's scope, newest first: the portal and integrators see all, offices their own. */
export async function listLicences({ ctx, filter = {} }: { ctx: ServiceContext; filter?: LicenceFilter }): Promise<LicenceView[]> {
  const { actor, deps } = ctx;
  const where: SQL[] = [];
  if (actor.role === 'county-office') where.push(eq(licences.county, actor.county ?? ''));
  else if (actor.role === 'province-office') where.push(eq(licences.province, actor.province ?? ''));
  else if (actor.role !== 'portal' && actor.role !== 'integrator' && actor.role !== 'national-office') throw forbidden('licences are listed for the portal, offices and integrators');
  const at = new Date(now(deps));
  // An active licence past its end counts as expired, as `status` reports it.
  if (filter.status === 'active') where.push(eq(licences.status, 'active'), gt(licences.validUntil, at));
  else if (filter.status === 'expired') where.push(or(eq(licences.status, 'expired'), and(eq(licences.status, 'active'), lte(licences.validUntil, at)))!);
  else if (filter.status) where.push(eq(licences.status, filter.status));
  if (filter.licenceType) where.push(eq(licences.licenceType, filter.licenceType));
  if (filter.county) where.push(eq(licences.county, filter.county));
  if (filter.holderNationalCode && actor.role === 'integrator') throw forbidden('integrators do not look licences up by a person\'s national code');
  if (filter.holderNationalCode) where.push(eq(licences.holderNationalCode, normaliseText(filter.holderNationalCode)));
  if (filter.number) where.push(like(licences.number, `${likeLiteral(normaliseLicenceNumber(filter.number))}%`));
  if (filter.holderName !== undefined) {
    if (!NAME_SEARCHERS.includes(actor.role)) throw forbidden('only offices look licences up by the holder\'s name');
    where.push(sql`${holderNameSql} ilike ${`%${likeLiteral(normaliseText(filter.holderName))}%`}`);
  }
  const rows = await deps.db.select({ licence: licences, facts: applications.facts }).from(licences)
    .innerJoin(applications, eq(applications.id, licences.applicationId))
    .where(and(...where)).orderBy(desc(licences.issuedAt)).limit(Math.min(filter.limit ?? 50, 200));
  return rows.map((r) => withCode(actor, r.licence, licenceView(deps, r.licence, r.facts, at.getTime())));
}

/** Another licence as a licence page names it: its parent or one of its dependents. */
export interface LicenceRef {
  number: string;
  kind: string;
  title: Text;
  licenceType: string;
  county: string;
  status: LicenceStatus;
  valid: boolean;
  validUntil: Date;
  validUntilJalali: string;
}

function licenceRef(deps: ServiceDeps, row: LicenceRow, atMs: number): LicenceRef {
  const status = effectiveStatus(row, atMs);
  return {
    number: row.number, kind: row.kind, title: row.title as Text, licenceType: row.licenceType, county: row.county, status,
    valid: status === 'active' && row.issuedAt.getTime() <= atMs, validUntil: row.validUntil, validUntilJalali: formatJalali(row.validUntil.getTime(), deps.calendar),
  };
}

/**
 * One licence, if it is in the caller's scope, with the licence it stands on (`parent`, its
 * `dependsOn`) and those that stand on it (`dependents`: a centre's manager licence), those in scope.
 */
export async function getLicence({ ctx, licenceNumber }: { ctx: ServiceContext; licenceNumber: string }): Promise<LicenceView & { parent: LicenceRef | null; dependents: LicenceRef[] }> {
  const { actor, deps } = ctx;
  const number = normaliseLicenceNumber(licenceNumber);
  const rows = await runPrepared(queriesOf(deps.db).withKin, { number });
  const { licence, facts } = rows.find((row) => row.kin === 0) ?? refuseMissing(number);
  refuseOutOfScope(ctx, licence);
  const atMs = now(deps);
  const parent = rows.find((row) => row.kin === 1 && inScope(actor, row.licence))?.licence;
  const dependents = rows.filter((row) => row.kin === 2).map((row) => row.licence);
  return {
    ...withCode(actor, licence, licenceView(deps, licence, facts, atMs)),
    parent: parent ? licenceRef(deps, parent, atMs) : null,
    dependents: dependents.filter((row) => inScope(actor, row)).map((row) => licenceRef(deps, row, atMs)),
  };
}

/**
 * What each role sees: the verification code goes to the portal and the offices, who print the
 * licence; an integrator needs only the register: no national code, the holder's name masked as
 * public verification masks it.
 */
function withCode(actor: ServiceContext['actor'], row: LicenceRow, view: LicenceView): LicenceView {
  if (actor.role !== 'integrator') return { ...view, verificationCode: row.verificationCode };
  const { holderNationalCode: _code, ...rest } = view;
  return { ...rest, holderName: maskName(view.holderName) };
}

/** A verification code as people type it: Persian digits, lower case, spaces and dashes allowed. */
export const normaliseVerificationCode = (code: string) => normaliseText(code).replace(/[\s-]+/g, '').toUpperCase();

function sameCode(given: string, stored: string): boolean {
  const a = Buffer.from(normaliseVerificationCode(given));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * How long a public verification answer is given again without reading the register: a licence's
 * suspension, revocation or expiry shows on every gateway replica within this time, and `checkedAt`
 * says when the register was read. The portal's QR scans land here; most ask about the same few
 * licences at once.
 */
export const VERIFICATION_TTL_MS = 5_000;

interface KnownVerification { code: string; answer: LicenceVerification }
const verifications = new WeakMap<Database, TtlCache<KnownVerification>>();
function verificationsOf(db: Database): TtlCache<KnownVerification> {
  let cache = verifications.get(db);
  if (!cache) verifications.set(db, cache = ttlCache({ ttlMs: VERIFICATION_TTL_MS, maxEntries: 10_000 }));
  return cache;
}

/**
 * Public verification: is this licence genuine and in force now? No national code, the name
 * masked. It needs the number and the verification code printed with it: a wrong or missing code
 * gets the same not-found as an unknown number, so the sequential numbers do not list the register.
 *
 * A licence found is remembered for `VERIFICATION_TTL_MS` (its answer as read then, and its code to
 * compare each request's with); an unknown number is looked up every time. The answer is public
 * and the same for every caller, so no caller's scope is involved.
 */
export async function verifyLicence({ deps, licenceNumber, verificationCode }: { deps: ServiceDeps; licenceNumber: string; verificationCode?: string }): Promise<LicenceVerification> {
  const number = normaliseLicenceNumber(licenceNumber);
  const atMs = now(deps);
  const cache = verificationsOf(deps.db);
  let known = cache.get(number, atMs);
  if (!known) {
    const found = await loadLicence(deps, number).catch(() => undefined);
    if (found) cache.set(number, known = { code: found.licence.verificationCode, answer: publicAnswer(deps, found, atMs) }, atMs);
  }
  if (!known || verificationCode === undefined || !sameCode(verificationCode, known.code)) {
    throw notFound({ fa: 'پروانه‌ای با این شماره و کد رهگیری اصالت یافت نشد', en: 'no licence with this number and verification code' },
      verificationCode === undefined ? 'public verification needs the code printed with the number: GET /v1/licences/{number}/verification/{code}' : undefined);
  }
  return known.answer;
}

/** What the public sees of a licence, as it stands at `atMs`. */
function publicAnswer(deps: ServiceDeps, { licence, facts }: { licence: LicenceRow; facts: unknown }, atMs: number): LicenceVerification {
  const seen = licenceView(deps, licence, facts, atMs);
  const province = provinceOf(licence.county);
  return {
    number: seen.number, kind: seen.kind, title: seen.title,
    licenceType: { id: seen.licenceType, title: seen.licenceTypeTitle },
    status: seen.status, valid: seen.valid,
    validFrom: seen.validFrom, validFromJalali: seen.validFromJalali, validUntil: seen.validUntil, validUntilJalali: seen.validUntilJalali,
    holderName: maskName(seen.holderName),
    county: { id: licence.county, title: province ? PROVINCES[province]!.counties[licence.county] ?? null : null },
    checkedAt: new Date(atMs), checkedAtJalali: formatJalali(atMs, deps.calendar, true),
  };
}
