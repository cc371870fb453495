/**
 * The register: a search form (number, holder name, county, state) and the results; a licence's
 * page with its validity in Jalali, holder, dependent and parent licences, supervision records,
 * and the changes its definition offers, each a form of its declared inputs.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, freshKey, ok } from '../api.js';
import { M, PLACES, state, useI18n } from '../i18n.js';
import type { LicenceChangeStarted, LicenceRef, OfferedChange } from '../types.js';
import { ErrorBox, FieldError, Fields, PageHeading, Show, When, readFields, useLoad, type FieldSpec } from '../ui.js';

const STATES = ['active', 'expired', 'suspended', 'revoked', 'closed'] as const;
const COUNTIES = ['ahvaz', 'dezful', 'arak'] as const;
const SEARCH = ['number', 'holderName', 'county', 'status'] as const;

export function LicencesPage() {
  const { t, n } = useI18n();
  const { query, route, path } = useLocation();
  const search = new URLSearchParams(SEARCH.filter((k) => query[k]).map((k) => [k, query[k]!] as [string, string])).toString();
  const status = STATES.find((s) => s === query.status);
  const [loaded] = useLoad(async () => ok(await api.GET('/v1/licences', { params: { query: {
    number: query.number || undefined, holderName: query.holderName || undefined, county: query.county || undefined, status,
  } } })), [search]);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams([...data.entries()].map(([k, v]) => [k, String(v).trim()] as [string, string]).filter(([, v]) => v !== '')).toString();
    route(`${path}${next ? `?${next}` : ''}`);
  };
  return (
    <>
      <PageHeading title={t(M.licences)}>{t(M.licences)}</PageHeading>
      <form class="filters" role="search" onSubmit={onSubmit} aria-label={t(M.search)}>
        <div class="field"><label for="l-number">{t(M.number)}</label><input id="l-number" name="number" dir="ltr" value={query.number ?? ''} /></div>
        <div class="field"><label for="l-holder">{t(M.holder)}</label><input id="l-holder" name="holderName" dir="auto" value={query.holderName ?? ''} /></div>
        <div class="field">
          <label for="l-county">{t(M.county)}</label>
          <select id="l-county" name="county" value={query.county ?? ''}>
            <option value="">{t(M.all)}</option>
            {COUNTIES.map((c) => <option key={c} value={c}>{t(PLACES[c]!)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="l-status">{t(M.state)}</label>
          <select id="l-status" name="status" value={query.status ?? ''}>
            <option value="">{t(M.all)}</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="submit">{t(M.search)}</button>
      </form>
      <section aria-labelledby="results-h">
        <h2 id="results-h">{t(M.results)}</h2>
        <Show loaded={loaded}>
          {({ items }) => (
            <>
              <p aria-live="polite" class="muted">{n(items.length)}</p>
              {items.length === 0 ? <p>{t(M.noResults)}</p> : (
                <div class="table-wrap" tabIndex={0} role="region" aria-label={t(M.results)}>
                  <table>
                    <thead><tr><th scope="col">{t(M.number)}</th><th scope="col">{t(M.licenceType)}</th><th scope="col">{t(M.holder)}</th><th scope="col">{t(M.county)}</th><th scope="col">{t(M.state)}</th><th scope="col">{t(M.validUntil)}</th></tr></thead>
                    <tbody>
                      {items.map((l) => (
                        <tr key={l.number}>
                          <td><a href={`/console/licences/${encodeURIComponent(l.number)}`} dir="ltr">{l.number}</a></td>
                          <td>{t(l.title)}</td>
                          <td dir="auto">{l.holderName ?? '—'}</td>
                          <td>{t(PLACES[l.county] ?? { fa: l.county, en: l.county })}</td>
                          <td>{t(state(l.status))}</td>
                          <td><When iso={l.validUntil} /></td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </Show>
      </section>
    </>
  );
}

/** One offered change: its declared inputs, started with POST, then a link to the application it started. */
function ChangeForm({ number, change }: { number: string; change: OfferedChange }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ sending?: boolean; started?: LicenceChangeStarted; error?: unknown }>({});
  const specs = change.input as Record<string, FieldSpec>;
  const prefix = `chg-${change.change}-`;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (state.sending || state.started) return;
    let body: Record<string, unknown>;
    try {
      body = readFields(specs, event.currentTarget as HTMLFormElement, prefix);
    } catch (e) {
      setState({ error: e instanceof FieldError ? new Error(`${e.field}: ${t(M.badJson)}`) : e });
      return;
    }
    setState({ sending: true });
    try {
      const started: LicenceChangeStarted = ok(await api.POST('/v1/licences/{licenceNumber}/changes/{change}', {
        params: { path: { licenceNumber: number, change: change.change }, header: freshKey() }, body: body as never,
      }));
      setState({ started });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <details class="change">
      <summary>{t(change.title)} <small class="muted" dir="ltr">{change.change}</small></summary>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset disabled={state.sending || !!state.started}>
          <legend>{t(change.title)}</legend>
          <Fields specs={specs} prefix={prefix} />
          <button type="submit">{t(M.start)}: {t(change.title)}</button>
        </fieldset>
        <div aria-live="polite" role="status">
          {state.started && (
            <p class="success">{t(M.started)} <a href={`/console/applications/${encodeURIComponent(state.started.applicationId)}`} dir="ltr">{state.started.trackingCode}</a></p>
          )}
          {state.error !== undefined && <ErrorBox error={state.error} />}
        </div>
      </form>
    </details>
  );
}

function LicenceLink({ to }: { to: LicenceRef }) {
  const { t } = useI18n();
  return (
    <>
      <a href={`/console/licences/${encodeURIComponent(to.number)}`} dir="ltr">{to.number}</a> · {t(to.title)} · {t(state(to.status))}
    </>
  );
}

/** What the public sees when it checks the licence (the QR on the certificate): the public operation, verified like every answer. */
function PublicVerification({ number, code }: { number: string; code: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<{ valid: boolean; status: string } | { error: unknown } | undefined>();
  const check = async () => {
    try {
      const answer = ok(await api.GET('/v1/licences/{licenceNumber}/verification/{verificationCode}', { params: { path: { licenceNumber: number, verificationCode: code } } }));
      setResult({ valid: answer.valid, status: answer.status });
    } catch (error) {
      setResult({ error });
    }
  };
  return (
    <div>
      <span dir="ltr">{code}</span> <button type="button" onClick={() => void check()}>{t(M.verifyPublicly)}</button>
      <span role="status" aria-live="polite" data-verification={result && 'valid' in result ? String(result.valid) : undefined}>
        {result && 'valid' in result && <> {result.valid ? t(M.publiclyValid) : t(M.publiclyInvalid)} · {result.status}</>}
      </span>
      {result && 'error' in result && <ErrorBox error={result.error} />}
    </div>
  );
}

export function LicencePage({ number }: { number: string }) {
  const { t } = useI18n();
  const [loaded] = useLoad(async () => {
    const params = { params: { path: { licenceNumber: number } } };
    const [licence, supervision, changes] = await Promise.all([
      api.GET('/v1/licences/{licenceNumber}', params).then(ok),
      api.GET('/v1/licences/{licenceNumber}/supervision', params).then(ok),
      api.GET('/v1/licences/{licenceNumber}/changes', params).then(ok),
    ]);
    return { licence, supervision: supervision.items, changes: changes.items };
  }, [number]);
  return (
    <Show loaded={loaded}>
      {({ licence, supervision, changes }) => (
        <>
          <PageHeading title={`${t(licence.title)} ${licence.number}`}>{t(licence.title)} <span dir="ltr">{licence.number}</span></PageHeading>
          <dl class="facts">
            <div><dt>{t(M.holder)}</dt><dd dir="auto">{licence.holderName ?? '—'}</dd></div>
            <div><dt>{t(M.state)}</dt><dd>{t(state(licence.status))} · {t(M.inForce)}: {licence.valid ? t(M.yes) : t(M.no)}</dd></div>
            <div><dt>{t(M.validity)}</dt><dd>{t(M.validFrom)} <When iso={licence.validFrom} /> {t(M.validUntil)} <When iso={licence.validUntil} /></dd></div>
            <div><dt>{t(M.county)}</dt><dd>{t(PLACES[licence.county] ?? { fa: licence.county, en: licence.county })}</dd></div>
            <div><dt>{t(M.application)}</dt><dd><a href={`/console/applications/${encodeURIComponent(licence.applicationId)}`} dir="ltr">{licence.applicationId}</a></dd></div>
            {licence.parent && <div><dt>{t(M.parent)}</dt><dd><LicenceLink to={licence.parent} /></dd></div>}
            {licence.verificationCode && <div><dt>{t(M.publicVerification)}</dt><dd><PublicVerification number={licence.number} code={licence.verificationCode} /></dd></div>}
          </dl>
          {licence.dependents.length > 0 && (
            <section aria-labelledby="dependents-h">
              <h2 id="dependents-h">{t(M.dependents)}</h2>
              <ul>{licence.dependents.map((d) => <li key={d.number}><LicenceLink to={d} /></li>)}</ul>
            </section>
          )}
          <section aria-labelledby="supervision-h">
            <h2 id="supervision-h">{t(M.supervision)}</h2>
            {supervision.length === 0 ? <p class="muted">—</p> : (
              <ul>
                {supervision.map((s) => (
                  <li key={s.id}>{s.visitedOn} · {s.kind} · {s.level} · {s.result}{s.findings.length ? ` · ${s.findings.map((f) => f.description).join('؛ ')}` : ''}</li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="changes-h">
            <h2 id="changes-h">{t(M.changes)}</h2>
            {changes.length === 0 ? <p class="muted">—</p> : changes.map((c) => <ChangeForm key={c.change} number={licence.number} change={c} />)}
          </section>
        </>
      )}
    </Show>
  );
}
