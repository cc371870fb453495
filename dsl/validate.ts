/**
 * Static checks a schema cannot make: references to steps, registries, roles, licences and
 * processes; unreachable steps; cycles that never wait; waits and tasks without a deadline;
 * decisions with unhandled outcomes; expressions that do not parse or name unknown facts.
 */
import { validateDeadline } from './calendar.js';
import { parseJalaliParts } from '../platform/dates/jalali.js';
import type { Diagnostic } from './diagnostics.js';
import { checkExpression } from './expressions.js';
import { cycles, edgesOfDefinition, reachable } from './graph.js';
import type { Locator, Path } from './parse.js';
import type { ProcessDefinition } from './schema.js';
import { checkCitations, type Law } from './law.js';
import { kindOf } from './steps/index.js';
import { validateCall } from './validate-call.js';

export interface ValidationContext {
  file: string;
  locate: Locator;
  /** Ids of the other processes a `subprocess` may start; unchecked when absent. */
  knownProcesses?: ReadonlySet<string>;
  /** The `kind` of each known process, to check that a licence names a lifecycle or standing process; unchecked when absent. */
  processKinds?: ReadonlyMap<string, string>;
  /** The law the file cites (`law/`); when given, every rule and every number must cite it (`checkCitations`). */
  law?: Law;
}

/** Runs every semantic check; an empty list means the definition is usable. */
export function validateDefinition(definition: ProcessDefinition, ctx: ValidationContext): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (path: Path, code: string, message: string, key = false) =>
    problems.push({ file: ctx.file, ...ctx.locate(path, { key }), path, code, message });

  const steps = definition.steps;
  if (!Object.hasOwn(steps, definition.start)) report(['start'], 'unknown-step', `start names unknown step "${definition.start}"`);

  for (const edge of edgesOfDefinition(definition)) {
    if (!Object.hasOwn(steps, edge.to)) report(edge.path, 'unknown-step', `step "${edge.from}" leads to unknown step "${edge.to}"`);
  }

  const facts = [
    ...definition.inputs,
    ...Object.values(steps).flatMap((s) => ('saveAs' in s && s.saveAs ? [s.saveAs] : [])),
    ...Object.values(steps).flatMap((s) => kindOf(s).facts?.(s) ?? []),
  ];
  const branchSteps = reachable(definition, edgesOfDefinition(definition).filter((e) => e.kind === 'branch').map((e) => e.to));

  for (const [id, step] of Object.entries(steps)) {
    const at = (...rest: Path): Path => ['steps', id, ...rest];
    const expression = (expr: string, path: Path) => {
      const error = checkExpression(expr, facts);
      if (error) report(path, 'invalid-expression', `step "${id}": expression "${expr}": ${error}`);
    };
    const kind = kindOf(step);
    if (kind.leadsOn && !('next' in step && step.next) && !branchSteps.has(id)) {
      report(at(), 'missing-next', `step "${id}" has no next step and is not the end of a parallel branch`, true);
    }
    const needsLicence = typeof kind.needsLicence === 'function' ? kind.needsLicence(step as never) : kind.needsLicence;
    if (needsLicence && !['lifecycle', 'standing'].includes(definition.kind)) {
      report(at('type'), 'needs-licence', `step "${id}" (${step.type}) works on the licence of a lifecycle or standing process; a ${definition.kind} process has none`);
    }
    kind.validate?.(step, { id, at, report, expression, process: definition, knownProcesses: ctx.knownProcesses });
  }

  if (!parseJalaliParts(definition.effectiveFrom)) {
    report(['effectiveFrom'], 'invalid-date', `effectiveFrom "${definition.effectiveFrom}" is not a Jalali date`);
  }
  for (const [id, step] of Object.entries(steps)) {
    for (const [path, spec] of kindOf(step).deadlines?.(step) ?? []) {
      const error = spec === undefined ? null : validateDeadline(spec);
      if (error) report(['steps', id, ...path], 'invalid-date', `step "${id}": ${error}`);
    }
  }

  const namedProcess = (path: Path, processId: string, expectedKind: string, what: string) => {
    if (ctx.knownProcesses && !ctx.knownProcesses.has(processId)) report(path, 'unknown-process', `${what} names unknown process "${processId}"`);
    const kind = ctx.processKinds?.get(processId);
    if (kind !== undefined && kind !== expectedKind) report(path, 'wrong-process-kind', `${what} names "${processId}", a ${kind} process; it must be kind: ${expectedKind}`);
  };
  for (const [kind, licence] of Object.entries(definition.licences)) {
    for (const [change, processId] of Object.entries(licence.changes)) {
      namedProcess(['licences', kind, 'changes', change], processId, 'lifecycle', `licence "${kind}": ${change}`);
    }
    licence.standing.forEach((processId, i) => namedProcess(['licences', kind, 'standing', i], processId, 'standing', `licence "${kind}": standing`));
    licence.earlierLicences?.changes.forEach((change, i) => {
      if (!Object.hasOwn(licence.changes, change)) report(['licences', kind, 'earlierLicences', 'changes', i], 'unknown-change', `licence "${kind}": earlierLicences names change "${change}", which its changes do not declare`);
    });
  }
  if (definition.change && definition.kind !== 'lifecycle') {
    report(['change'], 'misplaced-change', `a ${definition.kind} process is not started as a change to a licence; only kind: lifecycle declares change`, true);
  }
  definition.change?.rules.forEach((rule, i) => {
    // Judged on the request, before any step: no step's fact exists yet.
    const error = checkExpression(rule.expr, []);
    if (error) report(['change', 'rules', i, 'expr'], 'invalid-expression', `change rule ${rule.reason}: expression "${rule.expr}": ${error}`);
    if (rule.field !== undefined && !(rule.field in definition.change!.input)) {
      report(['change', 'rules', i, 'field'], 'unknown-change-field', `change rule ${rule.reason} names field "${rule.field}", which the change's input does not declare`);
    }
  });

  validateCall(definition, facts, report);
  if (ctx.law) checkCitations(definition, ctx.law, report);
  unreachableReasons(definition, report);

  const live = reachable(definition, [definition.start]);
  for (const id of Object.keys(steps)) {
    if (!live.has(id)) report(['steps', id], 'unreachable-step', `step "${id}" cannot be reached from start`, true);
  }

  for (const cycle of cycles(definition)) {
    if (!cycle.some((id) => kindOf(steps[id]!).waits)) {
      report(['steps', cycle[0]!], 'cycle-without-wait', `steps ${[...cycle, cycle[0]].join(' → ')} loop without a wait or a task`, true);
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A reason code no application can be given: a check rule that cannot fail (`expr: "true"`), or
 * one that repeats an earlier rule of its step (the earlier one fails first, with its own reason),
 * and the same for change rules. Unreachable steps, and so their reasons, are refused apart.
 */
function unreachableReasons(definition: ProcessDefinition, report: (path: Path, code: string, message: string) => void): void {
  const judge = (rules: readonly { expr?: string; claim?: string; holder?: string; when?: string; reason: string }[], at: (i: number) => Path, where: string) => {
    const seen = new Map<string, string>();
    rules.forEach((rule, i) => {
      const condition = JSON.stringify([rule.expr?.trim(), rule.claim, rule.holder?.trim(), rule.when?.trim()]);
      if (rule.expr !== undefined && rule.expr.trim() === 'true') {
        report(at(i), 'unreachable-reason', `${where}: rule ${rule.reason} always holds, so no application is ever given ${rule.reason}`);
      } else if (seen.has(condition)) {
        report(at(i), 'unreachable-reason', `${where}: rule ${rule.reason} repeats rule ${seen.get(condition)}, which fails first: ${rule.reason} is never given`);
      } else seen.set(condition, rule.reason);
    });
  };
  if (definition.change) judge(definition.change.rules, (i) => ['change', 'rules', i], 'the change');
  for (const [id, step] of Object.entries(definition.steps)) {
    if (step.type === 'check') judge(step.rules, (i) => ['steps', id, 'rules', i], `step "${id}"`);
  }
}
