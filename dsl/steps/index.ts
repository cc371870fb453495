/**
 * The language's step kinds, one module each. The order is the order of the published JSON
 * Schema's `oneOf`: add a new kind at the end.
 */
import type { z } from 'zod';
import { amend } from './amend.js';
import { check } from './check.js';
import { cohort } from './cohort.js';
import { end } from './end.js';
import { inquire } from './inquire.js';
import { issue } from './issue.js';
import { launch } from './launch.js';
import type { StepBehaviour, StepSchema } from './kind.js';
import { notify } from './notify.js';
import { parallel } from './parallel.js';
import { refresh } from './refresh.js';
import { set } from './set.js';
import { subprocess } from './subprocess.js';
import { switchKind } from './switch.js';
import { task } from './task.js';
import { wait } from './wait.js';

export const stepKinds = [
  check, inquire, task, parallel, switchKind, wait,
  issue, notify, subprocess, amend, refresh, set, cohort, end, launch,
] as const;

type SchemasOf<T extends readonly { schema: StepSchema }[]> = { -readonly [K in keyof T]: T[K]['schema'] };
/** Each kind's schema, as a tuple for `z.discriminatedUnion`. */
export const stepSchemas = stepKinds.map((kind) => kind.schema) as SchemasOf<typeof stepKinds>;

/** Any step the language knows. */
export type AnyStep = z.infer<(typeof stepKinds)[number]['schema']>;

const byType = new Map<string, unknown>(stepKinds.map((kind) => [kind.type, kind]));

/** The kind of a step, by its `type`: what to check, draw and follow of it. */
export function kindOf(step: AnyStep): StepBehaviour<AnyStep> {
  return byType.get(step.type) as StepBehaviour<AnyStep>;
}
