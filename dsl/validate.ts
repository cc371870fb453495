/**
 * Static checks a schema cannot make: references to steps, registries, roles, licences and
 * processes; unreachable steps; cycles that never wait; waits and tasks without a deadline;
 * decisions with unhandled outcomes; expressions that do not parse or name unknown facts.
 */
import { validateDeadlineSpec } from './calendar.js';
import { parseJalaliParts } from '../platform/dates/jalali.js';
import type { Diagnostic } from './diagnostics.js';
import { checkExpression } from './expressions.js';
import { cycles, edgesOfDefinition, reachable } from './graph.js';
import type { Locator, Path } from './parse.js';
import { Registries, type ProcessDefinition } from './schema.js';
import { validateCall } from './validate-call.js';

/** The roles that decide tasks in their inbox. */
const TaskRoles = ['county-office', 'province-office'] as const;

export interface ValidationContext {
  file: string;
  locate: Locator;
  /** Ids of the other processes a `subprocess` may start; unchecked when absent. */
  knownProcesses?: ReadonlySet<string>;
  /** The `kind` of each known process, to check that a licence names a lifecycle or standing process; unchecked when absent. */
  processKinds?: ReadonlyMap<string, string>;
}

/** Step types that read or change the licence a process is about: only lifecycle and standing processes have one. */
const LICENCE_STEPS = ['refresh', 'amend'];

/** Runs every semantic check; an empty list means the definition is usable. */
export function validateDefinition(definition: ProcessDefinition, ctx: ValidationContext): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (path: Path, code: string, message: string, key = false) =>
    problems.push({ file: ctx.file, ...ctx.locate(path, { key }), path, code, message });

  const steps = definition.steps;
  if (!(definition.start in steps)) report(['start'], 'unknown-step', `start names unknown step "${definition.start}"`);

  for (const edge of edgesOfDefinition(definition)) {
    if (!(edge.to in steps)) report(edge.path, 'unknown-step', `step "${edge.from}" leads to unknown step "${edge.to}"`);
  }

  const facts = [
    ...definition.inputs,
    ...Object.values(steps).flatMap((s) => ('saveAs' in s && s.saveAs ? [s.saveAs] : [])),
    ...Object.values(steps).flatMap((s) => (s.type === 'set' ? Object.keys(s.facts) : [])),
  ];
  const branchSteps = reachable(definition, Object.values(steps).flatMap((s) => (s.type === 'parallel' ? s.branches : [])));

  for (const [id, step] of Object.entries(steps)) {
    const at = (...rest: Path): Path => ['steps', id, ...rest];
    const expression = (expr: string, path: Path) => {
      const error = checkExpression(expr, facts);
      if (error) report(path, 'invalid-expression', `step "${id}": expression "${expr}": ${error}`);
    };
    const needsNext = 'next' in step || ['check', 'inquire', 'wait', 'issue', 'notify', 'subprocess', 'parallel', 'amend', 'cohort', 'refresh', 'set', 'claim'].includes(step.type);
    if (needsNext && !('next' in step && step.next) && !branchSteps.has(id)) {
      report(at(), 'missing-next', `step "${id}" has no next step and is not the end of a parallel branch`, true);
    }
    if (LICENCE_STEPS.includes(step.type) && !['lifecycle', 'standing'].includes(definition.kind)) {
      report(at('type'), 'needs-licence', `step "${id}" (${step.type}) works on the licence of a lifecycle or standing process; a ${definition.kind} process has none`);
    }
    switch (step.type) {
      case 'check':
        step.rules.forEach((rule, i) => expression(rule.expr, at('rules', i, 'expr')));
        break;
      case 'inquire':
        if (!(Registries as readonly string[]).includes(step.registry)) {
          report(at('registry'), 'unknown-registry', `step "${id}" asks unknown registry "${step.registry}"; known: ${Registries.join(', ')}`);
        }
        expression(step.subject, at('subject'));
        if (!step.timeout) report(at(), 'missing-deadline', `inquiry "${id}" has no timeout`, true);
        else if (!step.onTimeout) report(at('timeout'), 'unhandled-timeout', `inquiry "${id}" has a timeout but no onTimeout step`);
        break;
      case 'task': {
        for (const [path, role] of [[at('role'), step.role], [at('escalation', 'role'), step.escalation?.role]] as const) {
          if (role !== undefined && !(TaskRoles as readonly string[]).includes(role)) {
            report(path, 'unknown-role', `task "${id}" names role "${role}", which decides no tasks; offices that do: ${TaskRoles.join(', ')}`);
          }
        }
        if (!step.due) report(at(), 'missing-deadline', `task "${id}" has no due date`, true);
        else if (!step.onOverdue) report(at('due'), 'unhandled-overdue', `task "${id}" has a due date but no onOverdue step`);
        const outcomes = Object.entries(step.outcomes);
        if (outcomes.length === 0) report(at('outcomes'), 'no-outcomes', `task "${id}" has no outcomes to decide`);
        for (const [name, outcome] of outcomes) {
          if (!outcome.next) report(at('outcomes', name), 'unhandled-outcome', `outcome "${name}" of task "${id}" leads nowhere`, true);
        }
        break;
      }
      case 'switch':
        step.cases.forEach((c, i) => expression(c.when, at('cases', i, 'when')));
        if (!step.default) report(at(), 'unhandled-outcome', `switch "${id}" has no default: an application matching no case would stop`, true);
        break;
      case 'wait':
        if (!step.delay && !step.until) report(at(), 'missing-deadline', `wait "${id}" has no delay`, true);
        if (step.delay && step.until) report(at('until'), 'schema', `wait "${id}" has both a delay and an until`);
        if (step.until) expression(step.until, at('until'));
        break;
      case 'issue':
        if (!(step.licence in definition.licences)) {
          report(at('licence'), 'unknown-licence', `step "${id}" issues licence kind "${step.licence}" not declared under licences`);
        }
        if (step.dependsOn) expression(step.dependsOn, at('dependsOn'));
        if (step.supersedes && !step.dependsOn) {
          report(at('supersedes'), 'supersedes-without-depends-on', `issue "${id}" supersedes the licences standing on the same licence, but has no dependsOn`);
        }
        break;
      case 'set':
        for (const [name, expr] of Object.entries(step.facts)) expression(expr, at('facts', name));
        break;
      case 'claim':
        expression(step.holder, at('holder'));
        if (step.when) expression(step.when, at('when'));
        break;
      case 'amend':
        if (step.action === 'renew' && !step.validity) report(at(), 'missing-validity', `amend "${id}" renews without a validity`, true);
        if (step.action === 'transfer' && !step.holder) report(at(), 'missing-holder', `amend "${id}" transfers the licence without naming the new holder`, true);
        if (step.action !== 'transfer' && step.holder) report(at('holder'), 'misplaced-holder', `amend "${id}" (${step.action}) keeps the holder; only a transfer names one`, true);
        if (step.action === 'transfer' && step.dependents) report(at('dependents'), 'misplaced-dependents', `amend "${id}" transfers the dependents held by the same holder itself; it takes no dependents`, true);
        if (step.holder) expression(step.holder, at('holder'));
        break;
      case 'subprocess':
        if (ctx.knownProcesses && !ctx.knownProcesses.has(step.process)) {
          report(at('process'), 'unknown-process', `step "${id}" starts unknown process "${step.process}"`);
        }
        for (const [name, expr] of Object.entries(step.input)) expression(expr, at('input', name));
        if (step.applicant) expression(step.applicant, at('applicant'));
        if (step.detach) {
          for (const field of ['saveAs', 'onFail'] as const) {
            if (step[field]) report(at(field), 'detached-outcome', `subprocess "${id}" is detached: its outcome is never awaited, so it has no ${field}`);
          }
        }
        break;
      default:
        break;
    }
  }

  if (!parseJalaliParts(definition.effectiveFrom)) {
    report(['effectiveFrom'], 'invalid-date', `effectiveFrom "${definition.effectiveFrom}" is not a Jalali date`);
  }
  for (const [id, step] of Object.entries(steps)) {
    const deadlines: [string[], unknown][] = [
      [['timeout'], 'timeout' in step ? step.timeout : undefined],
      [['due'], 'due' in step ? step.due : undefined],
      [['escalation', 'due'], step.type === 'task' ? step.escalation?.due : undefined],
      [['delay'], 'delay' in step ? step.delay : undefined],
    ];
    for (const [path, spec] of deadlines) {
      const error = spec === undefined ? null : validateDeadlineSpec(spec);
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

  const live = reachable(definition, [definition.start]);
  for (const id of Object.keys(steps)) {
    if (!live.has(id)) report(['steps', id], 'unreachable-step', `step "${id}" cannot be reached from start`, true);
  }

  for (const cycle of cycles(definition)) {
    if (!cycle.some((id) => ['task', 'wait'].includes(steps[id]!.type))) {
      report(['steps', cycle[0]!], 'cycle-without-wait', `steps ${[...cycle, cycle[0]].join(' → ')} loop without a wait or a task`, true);
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
