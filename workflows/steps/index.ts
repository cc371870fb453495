/**
 * How each step kind runs, one module each; the language's side of a kind is `dsl/steps/<kind>.ts`.
 * The type asks for every kind the schema knows, so a kind without a runner does not compile.
 */
import type { Step } from '../../dsl/schema.js';
import { runAmend } from './amend.js';
import { runCheck } from './check.js';
import { runCohort } from './cohort.js';
import type { StepContext, StepOf, StepRunner, Transition } from './context.js';
import { runEnd } from './end.js';
import { runInquire } from './inquire.js';
import { runIssue } from './issue.js';
import { runLaunch } from './launch.js';
import { runNotify } from './notify.js';
import { runParallel } from './parallel.js';
import { runRefresh } from './refresh.js';
import { runSet } from './set.js';
import { runSubprocess } from './subprocess.js';
import { runSwitch } from './switch.js';
import { runTask } from './task.js';
import { runWait } from './wait.js';

const runners: { [T in Step['type']]: StepRunner<T> } = {
  check: runCheck,
  inquire: runInquire,
  task: runTask,
  parallel: runParallel,
  switch: runSwitch,
  wait: runWait,
  issue: runIssue,
  notify: runNotify,
  subprocess: runSubprocess,
  amend: runAmend,
  refresh: runRefresh,
  set: runSet,
  cohort: runCohort,
  end: runEnd,
  launch: runLaunch,
};

/** Runs a step by its kind's runner. */
export function runStep<T extends Step['type']>(ctx: StepContext, id: string, step: StepOf<T>): Promise<Transition> {
  return (runners[step.type] as StepRunner<T>)(ctx, id, step);
}
