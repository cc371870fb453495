/** Pieces every page uses: loading a resource, showing an error, a date, a form field of a declared type. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, SignedOut, UnverifiedResponse } from './api.js';
import { M, useI18n, type Text } from './i18n.js';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: unknown };

/** Runs `load` when `deps` change (and on `reload()`); a later answer replaces an earlier one. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => current && setResult({ state: 'done', value }),
      (error: unknown) => current && setResult({ state: 'failed', error }),
    );
    return () => { current = false; };
  }, [...deps, round]);
  return [result, useCallback(() => setRound((r) => r + 1), [])];
}

/** The words for an error: a response that did not verify says so, a problem gives its own title. */
export function errorText(error: unknown, t: (text: Text) => string): string {
  if (error instanceof UnverifiedResponse) return t(M.notVerified);
  if (error instanceof ApiProblem) {
    const { problem } = error;
    const title = t({ fa: problem.title_fa ?? problem.title ?? '', en: problem.title ?? problem.title_fa ?? '' }) || `HTTP ${error.status}`;
    return problem.field ? `${title} (${problem.field})` : title;
  }
  if (error instanceof TypeError) return t(M.networkError);
  return error instanceof Error ? error.message : String(error);
}

/** An error, announced to screen readers. The verification failure carries `data-error="unverified"` for tests. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof SignedOut) return <p class="muted">{t(M.loading)}</p>;
  return (
    <div class="error" role="alert" data-error={error instanceof UnverifiedResponse ? 'unverified' : 'problem'}>
      {errorText(error, t)}
    </div>
  );
}

/** Shows a loaded resource: a loading line, the error, or `children(value)`. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  const { t } = useI18n();
  if (loaded.state === 'loading') return <p class="muted" aria-busy="true">{t(M.loading)}</p>;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  return <>{children(loaded.value)}</>;
}

/** A moment in the Jalali calendar, the Gregorian date on hover. */
export function When({ iso, time = false }: { iso: string | null | undefined; time?: boolean }) {
  const { jalali, gregorian } = useI18n();
  if (!iso) return <span>—</span>;
  return <time dateTime={iso} title={gregorian(iso)}>{jalali(iso, time)}</time>;
}

/** Sets the document title and moves focus to the page's heading when a page opens (for screen readers and keyboards). */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title;
    ref.current?.focus();
  }, [title]);
  return <h1 ref={ref} tabIndex={-1}>{children}</h1>;
}

/** A field as a definition declares it (a decision's recorded fields, a change's inputs). */
export interface FieldSpec {
  type: string;
  optional?: boolean;
  title?: Text;
  min?: number;
  max?: number;
  values?: string[];
  many?: boolean;
  /** For `list`: each record's fields. */
  of?: Record<string, FieldSpec>;
}

/** Turns a form's raw entries into the typed values a field declares; throws naming the field when one cannot be read. */
export function readFields(specs: Record<string, FieldSpec>, form: HTMLFormElement, prefix: string): Record<string, unknown> {
  const data = new FormData(form);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const key = `${prefix}${name}`;
    if (spec.type === 'boolean') {
      out[name] = data.get(key) === 'on';
      continue;
    }
    if (spec.type === 'choice' && spec.many) {
      out[name] = data.getAll(key).map(String);
      continue;
    }
    if (spec.type === 'list' && spec.of) {
      // Each row of the list names itself in a hidden `<key>-row` input, in the order shown.
      out[name] = data.getAll(`${key}-row`).map((row) => readFields(spec.of!, form, `${key}-${String(row)}-`));
      continue;
    }
    const raw = String(data.get(key) ?? '').trim();
    if (raw === '') {
      if (!spec.optional) out[name] = '';
      continue;
    }
    if (spec.type === 'integer') out[name] = Number(raw);
    else if (spec.type === 'person' || spec.type === 'list') {
      try {
        out[name] = JSON.parse(raw) as unknown;
      } catch {
        throw new FieldError(name);
      }
    } else out[name] = raw;
  }
  return out;
}

export class FieldError extends Error {
  override name = 'FieldError';
  constructor(readonly field: string) {
    super(field);
  }
}

/** The inputs of declared fields: text, date, integer, choice (one or many), boolean; a person or a list as JSON. */
export function Fields({ specs, prefix }: { specs: Record<string, FieldSpec>; prefix: string }) {
  const { t, n } = useI18n();
  return (
    <>
      {Object.entries(specs).map(([name, spec]) => {
        const id = `${prefix}${name}`;
        const label = (
          <>
            {spec.title ? t(spec.title) : name}
            <span class="muted"> ({spec.optional ? t(M.optional) : t(M.required)})</span>
          </>
        );
        if (spec.type === 'boolean') {
          return (
            <div class="field check" key={id}>
              <input type="checkbox" id={id} name={id} />
              <label for={id}>{label}</label>
            </div>
          );
        }
        if (spec.type === 'list' && spec.of) return <ListField key={id} id={id} spec={spec} label={label} />;
        if (spec.type === 'choice' && spec.many) {
          return (
            <fieldset class="field" key={id}>
              <legend>{label}</legend>
              {(spec.values ?? []).map((v) => (
                <div class="check" key={v}>
                  <input type="checkbox" id={`${id}-${v}`} name={id} value={v} />
                  <label for={`${id}-${v}`}>{v}</label>
                </div>
              ))}
            </fieldset>
          );
        }
        let input;
        if (spec.type === 'choice') {
          input = (
            <select id={id} name={id} required={!spec.optional}>
              <option value="">—</option>
              {(spec.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          );
        } else if (spec.type === 'person' || spec.type === 'list') {
          input = <textarea id={id} name={id} rows={4} dir="ltr" required={!spec.optional} aria-describedby={`${id}-hint`} />;
        } else {
          const required = !spec.optional;
          if (spec.type === 'integer') input = <input id={id} name={id} type="number" dir="ltr" required={required} min={spec.min} max={spec.max} step={1} />;
          else if (spec.type === 'date') input = <input id={id} name={id} type="date" dir="ltr" required={required} />;
          else input = <input id={id} name={id} type="text" dir="auto" required={required} />;
        }
        return (
          <div class="field" key={id}>
            <label for={id}>{label}</label>
            {input}
            {(spec.type === 'person' || spec.type === 'list') && <small id={`${id}-hint`} class="muted">{t(spec.type === 'person' ? M.personJson : M.listJson)}</small>}
            {spec.type === 'integer' && (spec.min !== undefined || spec.max !== undefined) && (
              <small class="muted">{spec.min !== undefined ? `≥ ${n(spec.min)} ` : ''}{spec.max !== undefined ? `≤ ${n(spec.max)}` : ''}</small>
            )}
          </div>
        );
      })}
    </>
  );
}

/**
 * A list of records (a site visit's social workers): one fieldset per row with the fields `of`
 * declares, rows added and removed with buttons; each row's inputs are named `<id>-<row>-<field>`.
 */
function ListField({ id, spec, label }: { id: string; spec: FieldSpec; label: ComponentChildren }) {
  const { t, n } = useI18n();
  const [rows, setRows] = useState<number[]>([]);
  const next = useRef(0);
  const add = () => setRows((r) => [...r, next.current++]);
  return (
    <fieldset class="field list" id={id}>
      <legend>{label}</legend>
      {rows.length === 0 && <p class="muted">{t(M.noRows)}</p>}
      {rows.map((row, i) => (
        <fieldset class="list-row" key={row}>
          <legend>{n(i + 1)}</legend>
          <input type="hidden" name={`${id}-row`} value={String(row)} />
          <Fields specs={spec.of!} prefix={`${id}-${row}-`} />
          <button type="button" class="link" aria-label={`${t(M.removeRow)} ${n(i + 1)}`} onClick={() => setRows((r) => r.filter((x) => x !== row))}>{t(M.removeRow)}</button>
        </fieldset>
      ))}
      <button type="button" id={`${id}-add`} onClick={add}>{t(M.addRow)}</button>
    </fieldset>
  );
}
