/** A supervisor's order to migrate a running application to a newer version, and its answer. */
import { z } from 'zod';
import type { MigrationRefusalReason } from '../../dsl/migration.js';
import { paragraphText } from '../../services/free-text.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';

const StepId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a step id (kebab-case)');

export const MigrationOrder = requestSchema('MigrationOrder', z.object({
  toVersion: z.number().int().positive().describe('The version of the application\'s licence type to move to: newer than its own, and in effect.'),
  mapping: z.record(StepId, StepId).refine((m) => Object.keys(m).length <= 20, 'at most 20 steps').optional()
    .describe('Where the step the application waits at goes in the target, where the ids differ: `{ "<current step>": "<target step>" }`. A step not named keeps its id.'),
  reason: paragraphText().trim().min(1).max(2000).describe('Why the authority orders the migration (the circular or decision it follows): recorded in the audit trail and the timeline.'),
}).strict().describe('A national supervisor\'s order to move a running application to a newer version of its definition.'));

const Pin = z.object({ version: z.number().int(), hash: z.string().describe('sha256 of the definition.') });

export const Migration = responseSchema('Migration', z.object({
  applicationId: z.string(),
  from: Pin,
  to: Pin,
  moves: z.array(z.object({ from: z.string(), to: z.string() })).describe('Each step the application waited at, and the step of the target it goes on from.'),
  resumeAt: z.string().describe('The step of the target the process goes on from, entered afresh.'),
  cancelledTasks: z.array(z.string()).describe('Tasks taken from the inbox: the migrated step opens its own, with its own deadline.'),
  reaskedInquiries: z.array(z.string()).describe('Inquiries the migrated step asks again; a late answer to one of these is recorded, not applied.'),
}).describe('The migration, recorded: the application is pinned to the target from now on.'));

/** Every reason a migration may be refused with (422 `migration-refused`). */
export const MIGRATION_REFUSALS = [
  'NOT_A_NEWER_VERSION', 'TARGET_NOT_IN_EFFECT', 'OTHER_PROCESS', 'NO_CURRENT_STEP', 'INSIDE_PARALLEL', 'STEP_NOT_MIGRATABLE',
  'MAPPING_NOT_CURRENT', 'STEP_NOT_IN_TARGET', 'INCOMPATIBLE_STEP', 'MISSING_FACT',
] as const satisfies readonly (MigrationRefusalReason | 'TARGET_NOT_IN_EFFECT')[];
