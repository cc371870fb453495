/**
 * From an identity provider's claims to our caller: which claim names the role, the county and the
 * province, and how the provider's values read as ours. Each trusted issuer has its own mapping,
 * given as JSON in the gateway's configuration.
 * @example { "role": "realm_access.roles", "roles": { "parvaneh-county": "county-office" }, "county": "org.county" }
 */
import type { JWTPayload } from 'jose';
import type { Actor, Role } from '../services/context.js';
import { provinceOf } from '../services/geography.js';

export interface ClaimMapping {
  /** Dot path of the claim naming the role (a string or a list of strings); default `role`. */
  role?: string;
  /** The provider's values and the roles they are; default: our role names as they are. */
  roles?: Record<string, Role>;
  /** Dot path of the county claim; default `county`. */
  county?: string;
  /** The provider's county values and our county ids; default: as they are. */
  counties?: Record<string, string>;
  /** Dot path of the province claim; default `province` (a county office's is its county's, when not given). */
  province?: string;
  provinces?: Record<string, string>;
}

/** The roles a token may carry. */
export const TOKEN_ROLES: readonly Role[] = ['portal', 'county-office', 'province-office', 'national-office', 'integrator', 'exam-organiser'];

/** A claim at a dot path (`realm_access.roles`), own properties only. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A provider value read through a value map (own entries only: `constructor` maps to nothing). */
function mapped<T extends string>(value: unknown, map: Record<string, T> | undefined): T | string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!map) return value;
  return new Map(Object.entries(map)).get(value);
}

/** The one role the claim names; several different ones are refused rather than guessed between. */
function roleOf(payload: JWTPayload, mapping: ClaimMapping): Role | undefined | 'ambiguous' {
  const raw = claimAt(payload, mapping.role ?? 'role');
  const values = Array.isArray(raw) ? raw : [raw];
  const roles = new Set(values.map((v) => mapped(v, mapping.roles)).filter((r): r is Role => TOKEN_ROLES.includes(r as Role)));
  if (roles.size > 1) return 'ambiguous';
  return [...roles][0];
}

export type MappedActor = { ok: true; actor: Actor } | { ok: false; detail: string };

/** The caller a verified token names, by the issuer's mapping. */
export function actorFromClaims(payload: JWTPayload, mapping: ClaimMapping = {}): MappedActor {
  const role = roleOf(payload, mapping);
  if (role === 'ambiguous') return { ok: false, detail: 'the token names more than one role' };
  if (!role) return { ok: false, detail: 'the token names no known role' };
  const actor: Actor = { subject: String(payload.sub), role };
  const county = mapped(claimAt(payload, mapping.county ?? 'county'), mapping.counties);
  const province = mapped(claimAt(payload, mapping.province ?? 'province'), mapping.provinces) ?? (county ? provinceOf(county) : undefined);
  if (role === 'county-office') {
    if (!county || !province) return { ok: false, detail: 'a county office token names its county and province' };
    actor.county = county;
    actor.province = province;
  }
  if (role === 'province-office') {
    if (!province) return { ok: false, detail: 'a province office token names its province' };
    actor.province = province;
  }
  return { ok: true, actor };
}
