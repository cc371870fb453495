/**
 * Shapes of the API the console reads. The generated types (api-spec/generated) are the source;
 * where an operation of the console's release is not in them yet, its contract is written here.
 */
import type { Schemas } from './api.js';
import type { Text } from './i18n.js';

export type Task = Schemas['Task'] & {
  licenceType?: string;
  applicant?: { firstName: string; lastName: string } | null;
};
export interface TaskCounts { open: number; overdue: number; escalated: number; prioritised: number }
export interface TaskList { items: Task[]; counts?: TaskCounts }
export type ApplicationView = Schemas['ApplicationView'];
export type Licence = Schemas['Licence'] & {
  dependents?: { number: string; title?: Text; status?: string }[] | null;
  parent?: { number: string; title?: Text; status?: string } | string | null;
};
export type OfferedChange = Schemas['OfferedChange'];
export type SupervisionRecord = Schemas['SupervisionRecord'];
export type CallRanking = Schemas['CallRanking'];
export type LicenceChangeStarted = Schemas['LicenceChangeStarted'];

export interface OfficeFigures {
  scope?: unknown;
  tasks: { open: number; overdue: number; escalated: number };
  steps: { licenceType: string; stepId: string; title?: Text; open: number; overdue: number; decided: number; medianHours: number | null; p90Hours: number | null }[];
  inquiries: { registry: string; waiting: number; late: number; oldestSince: string | null }[];
  generatedAt: string;
}

export interface CallSummary { callId: string; title?: Text; stage?: string; licenceType?: string; [key: string]: unknown }
export interface CallRegistration { applicationId: string; trackingCode?: string; university?: string; status?: string; applicant?: { firstName: string; lastName: string } | null; examScore?: number | null; [key: string]: unknown }
