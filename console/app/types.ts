/** Shapes of the API the console reads: the generated types of the OpenAPI document, by name. */
import type { Schemas } from './api.js';

export type Task = Schemas['Task'];
export type TaskCounts = Schemas['InboxCounts'];
export type TaskList = Schemas['TaskList'];
export type ApplicationView = Schemas['ApplicationView'];
/** A licence as the register lists it. */
export type LicenceRow = Schemas['Licence'];
/** One licence with its parent and dependents. */
export type Licence = Schemas['LicenceDetail'];
export type LicenceRef = Schemas['LicenceRef'];
export type OfferedChange = Schemas['OfferedChange'];
export type SupervisionRecord = Schemas['SupervisionRecord'];
export type CallRanking = Schemas['CallRanking'];
export type CallSummary = Schemas['CallSummary'];
export type CallRegistration = Schemas['CallRegistrationLine'];
export type LicenceChangeStarted = Schemas['LicenceChangeStarted'];
export type OfficeFigures = Schemas['OfficeFigures'];
