/**
 * A task: the applicant and the application's facts, the inquiries (a late one marked), the
 * documents (view in the page, download), and the decision: the outcomes the definition allows as
 * radio buttons, the reason where the outcome requires one, the fields it records; sent once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, api, blobOf, freshKey, ok } from '../api.js';
import { M, state, useI18n } from '../i18n.js';
import type { ApplicationView, Task } from '../types.js';
import { ErrorBox, FieldError, Fields, PageHeading, Show, When, errorText, readFields, useLoad, type FieldSpec } from '../ui.js';

type Doc = ApplicationView['documents'][number];
type Inquiry = ApplicationView['inquiries'][number];

/** The task by id, and its application (facts, inquiries, documents). */
export async function loadApplication(applicationId: string): Promise<ApplicationView> {
  return ok(await api.GET('/v1/applications/{applicationId}', { params: { path: { applicationId } } }));
}

/** Facts as a definition list: nested records flattened to dotted names. */
export function Facts({ facts }: { facts: Record<string, unknown> }) {
  const rows: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else rows.push([prefix, Array.isArray(value) ? JSON.stringify(value) : String(value)]);
  };
  walk('', facts);
  return (
    <dl class="facts">
      {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd dir="auto">{v}</dd></div>)}
    </dl>
  );
}

export function Inquiries({ inquiries }: { inquiries: Inquiry[] }) {
  const { t } = useI18n();
  if (!inquiries.length) return <p class="muted">—</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t(M.inquiries)}>
      <table>
        <thead><tr><th scope="col">{t(M.registry)}</th><th scope="col">{t(M.step)}</th><th scope="col">{t(M.state)}</th><th scope="col">{t(M.due)}</th><th scope="col">{t(M.answer)}</th></tr></thead>
        <tbody>
          {inquiries.map((q) => (
            <tr key={q.id}>
              <td>{q.registry}</td>
              <td>{q.stepId}</td>
              <td>{t(state(q.status))}{q.late && <> <span class="tag tag-overdue">{t(M.late)}</span></>}</td>
              <td><When iso={q.deadlineAt} /></td>
              <td>{q.answer && typeof q.answer === 'object' && !Array.isArray(q.answer) ? <Facts facts={q.answer as Record<string, unknown>} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The documents: each viewed in a frame (PDF, image) from a blob of its verified bytes, or downloaded. */
export function Documents({ documents, applicationId }: { documents: Doc[]; applicationId: string }) {
  const { t, n } = useI18n();
  const [shown, setShown] = useState<{ url: string; name: string } | undefined>();
  const [error, setError] = useState<unknown>();
  const urls = useRef<string[]>([]);
  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);
  const urlOf = async (doc: Doc) => {
    const blob = await blobOf(`/v1/applications/${encodeURIComponent(applicationId)}/documents/${encodeURIComponent(doc.id)}`);
    const url = URL.createObjectURL(blob.type === doc.mediaType ? blob : new Blob([blob], { type: doc.mediaType }));
    urls.current.push(url);
    return url;
  };
  const view = async (doc: Doc) => {
    setError(undefined);
    try {
      setShown({ url: await urlOf(doc), name: doc.fileName });
    } catch (e) {
      setError(e);
    }
  };
  const download = async (doc: Doc) => {
    setError(undefined);
    try {
      const a = document.createElement('a');
      a.href = await urlOf(doc);
      a.download = doc.fileName;
      a.click();
    } catch (e) {
      setError(e);
    }
  };
  if (!documents.length) return <p class="muted">—</p>;
  return (
    <>
      <ul class="documents">
        {documents.map((doc) => (
          <li key={doc.id}>
            <span dir="auto">{doc.type} · {doc.fileName}</span> <small class="muted">({doc.mediaType}, {n(doc.size)} B)</small>
            <button type="button" class="link" onClick={() => void view(doc)}>{t(M.view)}<span class="visually-hidden"> {doc.fileName}</span></button>
            <button type="button" class="link" onClick={() => void download(doc)}>{t(M.download)}<span class="visually-hidden"> {doc.fileName}</span></button>
          </li>
        ))}
      </ul>
      <div aria-live="polite">{error !== undefined && <ErrorBox error={error} />}</div>
      {shown && (
        <figure class="viewer">
          <iframe src={shown.url} title={shown.name} />
          <figcaption>{shown.name} <button type="button" onClick={() => setShown(undefined)}>{t(M.close)}</button></figcaption>
        </figure>
      )}
    </>
  );
}

type Sent = { state: 'idle' } | { state: 'sending' } | { state: 'done'; closed: boolean } | { state: 'failed'; error: unknown };

/** The decision form: one decision, whatever the clicks. */
export function DecisionForm({ task }: { task: Task }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<string>('');
  const [sent, setSent] = useState<Sent>({ state: 'idle' });
  const sending = useRef(false);
  const chosen = task.allowedOutcomes.find((o) => o.name === outcome);
  const fields = (chosen?.fields ?? {}) as Record<string, FieldSpec>;
  const finished = sent.state === 'done' || sent.state === 'sending';

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending.current || sent.state === 'done') return;
    if (!chosen) {
      setSent({ state: 'failed', error: new Error(t(M.chooseOutcome)) });
      return;
    }
    const form = event.currentTarget as HTMLFormElement;
    const body: Record<string, unknown> = { outcome: chosen.name };
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    if (reason) body.reason = reason;
    try {
      if (chosen.fields && Object.keys(chosen.fields).length) body.recorded = readFields(fields, form, 'rec-');
    } catch (e) {
      setSent({ state: 'failed', error: e instanceof FieldError ? new Error(`${e.field}: ${t(M.badJson)}`) : e });
      return;
    }
    sending.current = true;
    setSent({ state: 'sending' });
    try {
      ok(await api.POST('/v1/tasks/{taskId}/decision', { params: { path: { taskId: task.id }, header: freshKey() }, body: body as { outcome: string } }));
      setSent({ state: 'done', closed: false });
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 409 && /task-closed$/.test(error.problem.type ?? '')) setSent({ state: 'done', closed: true });
      else setSent({ state: 'failed', error });
    } finally {
      sending.current = false;
    }
  };

  if (task.status !== 'open') {
    return <p>{t(M.taskClosed)} {task.outcome && <>({t(M.outcome)}: {task.outcome})</>}</p>;
  }
  return (
    <form onSubmit={(e) => void submit(e)} class="decision" aria-describedby="decision-status">
      <fieldset disabled={finished}>
        <legend>{t(M.outcome)}</legend>
        {task.allowedOutcomes.map((o) => (
          <div class="check" key={o.name}>
            <input type="radio" name="outcome" id={`outcome-${o.name}`} value={o.name} checked={outcome === o.name} onChange={() => setOutcome(o.name)} required />
            <label for={`outcome-${o.name}`}>{t(o.title)}{o.requiresReason && <span class="muted"> ({t(M.reason)}: {t(M.required)})</span>}</label>
          </div>
        ))}
      </fieldset>
      {chosen && (
        <fieldset disabled={finished}>
          <legend>{t(chosen.title)}</legend>
          <div class="field">
            <label for="reason">{t(M.reason)} <span class="muted">({chosen.requiresReason ? t(M.required) : t(M.optional)})</span></label>
            <textarea id="reason" name="reason" rows={3} required={chosen.requiresReason} maxLength={2000} dir="auto" />
          </div>
          <Fields specs={fields} prefix="rec-" />
        </fieldset>
      )}
      <button type="submit" disabled={finished} aria-disabled={finished}>{sent.state === 'sending' ? t(M.sending) : t(M.send)}</button>
      <div id="decision-status" aria-live="polite" role="status">
        {sent.state === 'done' && <p class="success" data-result="decided">{sent.closed ? t(M.alreadyDecided) : t(M.decided)}</p>}
        {sent.state === 'failed' && <div class="error" role="alert">{errorText(sent.error, t)}</div>}
      </div>
    </form>
  );
}

export function TaskPage({ taskId }: { taskId: string }) {
  const { t } = useI18n();
  const [loaded] = useLoad(async () => {
    const task: Task = ok(await api.GET('/v1/tasks/{taskId}', { params: { path: { taskId } } }));
    const view = await loadApplication(task.applicationId);
    return { task, view };
  }, [taskId]);
  return (
    <Show loaded={loaded}>
      {({ task, view }) => {
        const applicant = (view.application.facts as { applicant?: { firstName?: string; lastName?: string; nationalCode?: string } }).applicant;
        return (
          <>
            <PageHeading title={t(task.title)}>{t(task.title)}</PageHeading>
            <p>
              {t(M.application)}: <a href={`/console/applications/${encodeURIComponent(view.application.id)}`}>{view.application.trackingCode}</a>
              {' · '}{t(M.due)}: <When iso={task.dueAt} />
              {task.escalatedAt && <> <span class="tag tag-escalated">{t(M.escalated)}</span></>}
              {Date.parse(task.dueAt) < Date.now() && task.status === 'open' && <> <span class="tag tag-overdue">{t(M.overdue)}</span></>}
            </p>
            {task.priority?.length ? <p>{t(M.priority)}: {task.priority.map((p) => t(p)).join('؛ ')}</p> : null}
            <section aria-labelledby="applicant-h">
              <h2 id="applicant-h">{t(M.applicant)}</h2>
              <p dir="auto">{applicant ? `${applicant.firstName ?? ''} ${applicant.lastName ?? ''}` : '—'}</p>
              <details>
                <summary>{t(M.facts)}</summary>
                <Facts facts={view.application.facts} />
              </details>
            </section>
            <section aria-labelledby="inquiries-h">
              <h2 id="inquiries-h">{t(M.inquiries)}</h2>
              <Inquiries inquiries={view.inquiries} />
            </section>
            <section aria-labelledby="documents-h">
              <h2 id="documents-h">{t(M.documents)}</h2>
              <Documents documents={view.documents} applicationId={view.application.id} />
            </section>
            <section aria-labelledby="decision-h">
              <h2 id="decision-h">{t(M.decision)}</h2>
              <DecisionForm task={task} />
            </section>
          </>
        );
      }}
    </Show>
  );
}
