/**
 * The language's first spelling, read in today's. Until 1405/09 a definition named its unhappy
 * paths five ways (`onFail`, `onRefused`, a switch's `default`, `onTimeout`, `onOverdue`), claimed a
 * holding in a step of its own (`claim`), started a process it did not await with
 * `subprocess.detach`, gave registry inquiries retry knobs, and wrote a fixed deadline as
 * `{ until: <Jalali date> }`. Definitions pinned by running applications (in their workflow's
 * input and in the `definitions` table) and files not yet rewritten keep that spelling; this
 * turns any of them into the current one, meaning for meaning, so one interpreter runs both.
 * Pure and deterministic: the workflow calls it on the definition it was started with.
 * @example respell({ steps: { route: { type: 'switch', cases: […], default: 'b' } } }).definition
 *   // → { steps: { route: { type: 'switch', cases: […], otherwise: 'b' } } }
 */

type Plain = Record<string, unknown>;

/** Unhappy-path fields of the first spelling and the name each has now. */
const UNHAPPY: Record<string, 'otherwise' | 'late'> = { onFail: 'otherwise', onRefused: 'otherwise', onTimeout: 'late', onOverdue: 'late' };

/** One thing respelled: where it was written and what it is now. */
export interface Respelling {
  path: string[];
  change: string;
}

/** The definition in the current spelling, and each thing respelled (none: it was current). */
export function respell<T>(definition: T): { definition: T; respelled: Respelling[] } {
  const respelled: Respelling[] = [];
  if (!isPlain(definition) || !isPlain(definition.steps)) return { definition, respelled };
  const steps: Plain = {};
  for (const [id, step] of Object.entries(definition.steps)) {
    steps[id] = isPlain(step) ? respellStep(id, step, respelled) : step;
  }
  if (respelled.length === 0) return { definition, respelled };
  return { definition: { ...definition, steps } as T, respelled };
}

function respellStep(id: string, original: Plain, respelled: Respelling[]): Plain {
  const note = (field: string, change: string) => respelled.push({ path: ['steps', id, field], change });
  let step: Plain = { ...original };
  for (const [old, now] of Object.entries(UNHAPPY)) {
    if (old in step) {
      step = rename(step, old, now);
      note(old, `${old} → ${now}`);
    }
  }
  if (step.type === 'switch' && 'default' in step) {
    step = rename(step, 'default', 'otherwise');
    note('default', 'default → otherwise');
  }
  if (step.type === 'inquire' && 'retry' in step) {
    delete step.retry;
    note('retry', 'no retry (every inquiry is retried until its timeout)');
  }
  for (const field of ['due', 'timeout', 'delay'] as const) {
    if (isPlain(step[field]) && 'until' in (step[field] as Plain)) {
      step[field] = rename(step[field] as Plain, 'until', 'date');
      note(field, `${field}.until → ${field}.date`);
    }
  }
  if (isPlain(step.escalation) && isPlain(step.escalation.due) && 'until' in step.escalation.due) {
    step.escalation = { ...step.escalation, due: rename(step.escalation.due, 'until', 'date') };
    note('escalation', 'escalation.due.until → escalation.due.date');
  }
  if (step.type === 'subprocess' && 'detach' in step) {
    const detached = step.detach === true;
    delete step.detach;
    if (detached) {
      step.type = 'launch';
      note('detach', 'a subprocess with detach → type: launch');
    } else note('detach', 'no detach (a subprocess is awaited)');
  }
  if (step.type === 'claim') {
    const { holding, holder, when, reason, message, title, description, next, otherwise } = step;
    step = {
      type: 'check', title, description,
      rules: [{ claim: holding, holder, when, reason, message }],
      next, otherwise,
    };
    note('type', 'type: claim → a check with a claim rule');
  }
  return withoutUndefined(step);
}

/** The object with `from` renamed `to`, in the same place among its keys. */
function rename(object: Plain, from: string, to: string): Plain {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key === from ? to : key, value]));
}

function withoutUndefined(object: Plain): Plain {
  const out = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  if (Array.isArray(out.rules)) out.rules = out.rules.map((rule) => (isPlain(rule) ? withoutUndefined(rule) : rule));
  return out;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
