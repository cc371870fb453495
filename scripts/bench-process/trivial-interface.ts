/**
 * The trivial workflow's interface (scripts/bench-process/trivial-workflow.ts): what the benchmark
 * starts it with and signals it with. Bundled into workflows, so deterministic like them.
 */
import { defineSignal } from '@temporalio/workflow';
import type { WorkCount } from '../lib/bench-process/history.js';

/** The work to do: as many activities, local activities, timers and signals as one application. */
export type TrivialPlan = WorkCount;

/** The driver's stand-in for an office's decision or a registry's answer. */
export const trivialSignal = defineSignal('trivialSignal');

/** The workflow id of the trivial run `n` of a benchmark. */
export const trivialWorkflowIdFor = (runId: string) => `trivial-${runId}`;
