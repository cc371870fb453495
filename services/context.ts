/** What every service verb receives: its dependencies and who is asking. */
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import type { HolidayCalendar } from '../dsl/calendar.js';
import type { DefinitionCatalogue } from '../dsl/catalogue.js';

/** `exam-organiser`: the body that sets a call's exam and reports its scores (only it may). */
export type Role = 'portal' | 'county-office' | 'province-office' | 'national-office' | 'integrator' | 'exam-organiser' | 'registry' | 'public';

/** The authenticated caller, with the office they belong to. */
export interface Actor {
  subject: string;
  role: Role;
  county?: string;
  province?: string;
}

export interface ServiceDeps {
  db: Database;
  temporal: Client;
  catalogue: DefinitionCatalogue;
  calendar: HolidayCalendar;
  taskQueue?: string;
  now?: () => number;
  /** The workflow an application runs (default `licenceProcess`; the process benchmark swaps in its hand-written baseline). */
  workflowType?: string;
  /** History events before a process continues as new (tests lower it to exercise that path). */
  historyLimit?: number;
}

export interface ServiceContext {
  deps: ServiceDeps;
  actor: Actor;
}

/** True when the actor may see or act on something in this county and province. */
export function inScope(actor: Actor, where: { county: string | null; province: string | null }): boolean {
  switch (actor.role) {
    case 'portal':
    case 'integrator':
    // The organisation's headquarters supervises every province; it decides no office's tasks.
    case 'national-office':
      return true;
    case 'county-office':
      return where.county !== null && where.county === actor.county;
    case 'province-office':
      return where.province !== null && where.province === actor.province;
    default:
      return false;
  }
}
