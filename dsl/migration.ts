/**
 * Whether a running application may move to a newer version of its definition, as a supervisor
 * orders it: pure, so the workflow's update validator and the unit tests judge it the same way.
 *
 * A step is compatible with its counterpart in the target when the application can wait there
 * in the same way: a `task` for a `task` offering every outcome the current one offers, an
 * `inquire` for an `inquire` of the same registry saved under the same fact, a `wait` for a
 * `wait`. Other steps are not waited at (a `subprocess` runs a child, a `cohort` belongs to its
 * call), and an application inside a `parallel` step moves only once the step has ended.
 */
import { checkExpression } from './expressions.js';
import { edgesOf, reachable } from './graph.js';
import type { ProcessDefinition, Step, Text } from './schema.js';
import { kindOf } from './steps/index.js';

export interface MigrationQuestion {
  /** The definition the application is pinned to. */
  pinned: ProcessDefinition;
  target: ProcessDefinition;
  /** The steps the application is at, as its workflow reports them. */
  currentSteps: readonly string[];
  /** Current step → target step, where the ids differ; a step not named keeps its id. */
  mapping?: Readonly<Record<string, string>>;
  /** The names of the facts the application holds; when given, the target's later steps are checked against them. */
  facts?: readonly string[];
}

export type MigrationRefusalReason =
  | 'OTHER_PROCESS' | 'NOT_A_NEWER_VERSION' | 'NO_CURRENT_STEP' | 'INSIDE_PARALLEL' | 'STEP_NOT_MIGRATABLE'
  | 'MAPPING_NOT_CURRENT' | 'STEP_NOT_IN_TARGET' | 'INCOMPATIBLE_STEP' | 'MISSING_FACT';

export interface MigrationRefusal {
  reason: MigrationRefusalReason;
  /** The current step (or mapping key) the refusal is about. */
  stepId?: string;
  message: Text;
}

/** A current step and the target step the application goes on from. */
export interface StepMove {
  from: string;
  to: string;
}

export type MigrationVerdict =
  | { allowed: true; moves: StepMove[]; resumeAt: string }
  | { allowed: false; refusals: MigrationRefusal[] };

/** The kinds an application can be moved from, while it waits there. */
const MIGRATABLE = new Set<Step['type']>(['task', 'inquire', 'wait']);

const refusal = (reason: MigrationRefusalReason, stepId: string | undefined, fa: string, en: string): MigrationRefusal =>
  ({ reason, ...(stepId !== undefined ? { stepId } : {}), message: { fa, en } });

/**
 * Judges a migration: every refusal found, or the moves and the step to go on from.
 * @example planMigration({ pinned: v1, target: v2, currentSteps: ['initial-interview'] }) // { allowed: true, resumeAt: 'initial-interview', … }
 */
export function planMigration(question: MigrationQuestion): MigrationVerdict {
  const { pinned, target, currentSteps, mapping = {}, facts } = question;
  const refusals: MigrationRefusal[] = [];
  if (target.id !== pinned.id) {
    refusals.push(refusal('OTHER_PROCESS', undefined, `نسخه مقصد از فرایند دیگری است (${target.id})`, `the target is another process (${target.id}), not ${pinned.id}`));
  }
  if (target.version <= pinned.version) {
    refusals.push(refusal('NOT_A_NEWER_VERSION', undefined,
      `نسخه ${target.version} جدیدتر از نسخه ${pinned.version} درخواست نیست`, `version ${target.version} is not newer than the application's version ${pinned.version}`));
  }
  if (currentSteps.length === 0) refusals.push(refusal('NO_CURRENT_STEP', undefined, 'درخواست در هیچ مرحله‌ای نیست', 'the application is at no step'));
  for (const key of Object.keys(mapping)) {
    if (!currentSteps.includes(key)) {
      refusals.push(refusal('MAPPING_NOT_CURRENT', key, `مرحله «${key}» مرحله کنونی درخواست نیست`, `step "${key}" of the mapping is not a step the application is at`));
    }
  }
  const parallel = currentSteps.find((id) => pinned.steps[id]?.type === 'parallel');
  if (parallel !== undefined || currentSteps.length > 1) {
    const at = parallel ?? currentSteps[0]!;
    refusals.push(refusal('INSIDE_PARALLEL', at, `درخواست در میانه مرحله هم‌زمان «${at}» است؛ پس از پایان آن منتقل کنید`,
      `the application is inside the parallel step "${at}"; migrate it once that step has ended`));
    return { allowed: false, refusals };
  }
  const moves: StepMove[] = [];
  for (const from of currentSteps) {
    const to = mapping[from] ?? from;
    const problem = compatibility(pinned, target, from, to);
    if (problem) refusals.push(problem);
    else moves.push({ from, to });
  }
  const resumeAt = moves[0]?.to;
  if (refusals.length === 0 && resumeAt !== undefined && facts) refusals.push(...missingFacts(target, resumeAt, facts));
  return refusals.length === 0 && resumeAt !== undefined ? { allowed: true, moves, resumeAt } : { allowed: false, refusals };
}

/** Why the application cannot wait at `to` of the target as it waits at `from` now, if it cannot. */
function compatibility(pinned: ProcessDefinition, target: ProcessDefinition, from: string, to: string): MigrationRefusal | undefined {
  const current = pinned.steps[from];
  if (!current || !MIGRATABLE.has(current.type)) {
    const kind = current?.type ?? 'unknown';
    return refusal('STEP_NOT_MIGRATABLE', from, `در مرحله «${from}» (${kind}) نمی‌توان منتقل کرد؛ فقط در انتظار کار، استعلام یا زمان`,
      `the application cannot be migrated at step "${from}" (${kind}): only while it waits at a task, an inquiry or a wait`);
  }
  const next = target.steps[to];
  if (!next) {
    return refusal('STEP_NOT_IN_TARGET', from, `مرحله «${to}» در نسخه ${target.version} وجود ندارد`,
      `step "${to}" does not exist in version ${target.version}${to === from ? '; map it to a step that does' : ''}`);
  }
  const incompatible = (fa: string, en: string) => refusal('INCOMPATIBLE_STEP', from, `مرحله «${to}» نسخه ${target.version} با «${from}» سازگار نیست: ${fa}`,
    `step "${to}" of version ${target.version} is not compatible with "${from}": ${en}`);
  if (next.type !== current.type) return incompatible(`${next.type} به جای ${current.type}`, `a ${next.type}, not a ${current.type}`);
  if (current.type === 'task' && next.type === 'task') {
    const lost = Object.keys(current.outcomes).filter((o) => !Object.hasOwn(next.outcomes, o));
    if (lost.length > 0) return incompatible(`نتیجه ${lost.join('، ')} را ندارد`, `it does not offer the outcome${lost.length > 1 ? 's' : ''} ${lost.join(', ')}`);
  }
  if (current.type === 'inquire' && next.type === 'inquire') {
    if (next.registry !== current.registry) return incompatible(`از ${next.registry} می‌پرسد`, `it asks ${next.registry}, not ${current.registry}`);
    if (next.saveAs !== current.saveAs) return incompatible(`پاسخ را در ${next.saveAs} نگه می‌دارد`, `it saves the answer as ${next.saveAs}, not ${current.saveAs}`);
  }
  if (!topLevel(target).has(to)) {
    return refusal('INSIDE_PARALLEL', from, `مرحله «${to}» در نسخه ${target.version} درون یک مرحله هم‌زمان است`,
      `step "${to}" of version ${target.version} lies only inside a parallel step's branch`);
  }
  return undefined;
}

/** Steps reached from `start` without entering a parallel step's branch: where an application can stand alone. */
function topLevel(definition: ProcessDefinition): Set<string> {
  const seen = new Set<string>();
  const stack = [definition.start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const step = definition.steps[id];
    if (seen.has(id) || !step) continue;
    seen.add(id);
    for (const edge of edgesOf(id, step)) if (edge.kind !== 'branch') stack.push(edge.to);
  }
  return seen;
}

/**
 * Facts the target's steps from `resumeAt` on read that neither the application holds nor any
 * of those steps saves: a rule would fail on them (and reject the application) for want of a fact.
 */
function missingFacts(target: ProcessDefinition, resumeAt: string, facts: readonly string[]): MigrationRefusal[] {
  const ahead = reachable(target, [resumeAt]);
  const known = new Set([...facts, ...target.inputs]);
  for (const id of ahead) {
    const step = target.steps[id]!;
    if ('saveAs' in step && step.saveAs) known.add(step.saveAs);
    for (const fact of kindOf(step).facts?.(step) ?? []) known.add(fact);
  }
  const refusals: MigrationRefusal[] = [];
  for (const id of ahead) {
    const step = target.steps[id]!;
    const expressions: string[] = [];
    kindOf(step).validate?.(step, {
      id, at: (...rest) => ['steps', id, ...rest], report: () => undefined, expression: (expr) => expressions.push(expr), process: target,
    });
    for (const expr of expressions) {
      const error = checkExpression(expr, [...known]);
      if (error) {
        refusals.push(refusal('MISSING_FACT', id, `مرحله «${id}» نسخه ${target.version} به داده‌ای نیاز دارد که درخواست ندارد (${expr})`,
          `step "${id}" of version ${target.version} reads a fact the application does not hold: ${expr}: ${error}`));
        break;
      }
    }
  }
  return refusals;
}
