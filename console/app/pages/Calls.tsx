/** The competitive calls the office runs: the list, and one call's registrations, exam results and ranking per university. */
import { api, ok } from '../api.js';
import { M, state, useI18n } from '../i18n.js';
import type { CallRanking } from '../types.js';
import { ErrorBox, PageHeading, Show, useLoad } from '../ui.js';

export function CallsPage() {
  const { t, n } = useI18n();
  const [loaded] = useLoad(async () => ok(await api.GET('/v1/calls')), []);
  return (
    <>
      <PageHeading title={t(M.calls)}>{t(M.calls)}</PageHeading>
      <Show loaded={loaded}>
        {({ items }) => items.length === 0 ? <p>{t(M.noResults)}</p> : (
          <ul>
            {items.map((c) => (
              <li key={c.id}><a href={`/console/calls/${encodeURIComponent(c.id)}`}>{t(c.title)}</a> · <span dir="ltr">{c.id}</span> · {c.stage} · {n(c.registrations)} {t(M.registrations)}</li>
            ))}
          </ul>
        )}
      </Show>
    </>
  );
}

const score = (n: (x: number) => string, x: number | null | undefined) => (x === null || x === undefined ? '—' : n(x));

export function CallPage({ callId }: { callId: string }) {
  const { t, n } = useI18n();
  const [ranking] = useLoad(async () => ok(await api.GET('/v1/calls/{callId}/ranking', { params: { path: { callId } } })), [callId]);
  const [registrations] = useLoad(async () => ok(await api.GET('/v1/calls/{callId}/registrations', { params: { path: { callId } } })), [callId]);
  return (
    <>
      <PageHeading title={`${t(M.calls)} ${callId}`}>{t(M.calls)} <span dir="ltr">{callId}</span></PageHeading>
      <section aria-labelledby="ranking-h">
        <h2 id="ranking-h">{t(M.ranking)}</h2>
        <Show loaded={ranking}>
          {(r) => {
            const byUniversity = new Map<string, CallRanking['items']>();
            for (const line of r.items) byUniversity.set(line.university, [...(byUniversity.get(line.university) ?? []), line]);
            return (
              <>
                <p>{t(M.stage)}: {r.stage}</p>
                {[...byUniversity.entries()].map(([university, lines]) => (
                  <div class="table-wrap" tabIndex={0} role="region" aria-label={`${t(M.ranking)} ${university}`} key={university}>
                    <table>
                      <caption>{t(M.university)}: {university}</caption>
                      <thead><tr><th scope="col">{t(M.rank)}</th><th scope="col">{t(M.trackingCode)}</th><th scope="col">{t(M.examScore)}</th><th scope="col">{t(M.total)}</th><th scope="col">{t(M.state)}</th></tr></thead>
                      <tbody>
                        {lines.map((l) => (
                          <tr key={l.applicationId}>
                            <td>{score(n, l.finalRank ?? l.shortlistRank)}</td>
                            <td><a href={`/console/applications/${encodeURIComponent(l.applicationId)}`} dir="ltr">{l.trackingCode}</a></td>
                            <td>{score(n, l.examScore)}</td>
                            <td>{score(n, l.total)}</td>
                            <td>{t(state(l.status))}{l.reason ? ` · ${l.reason}` : ''}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ))}
              </>
            );
          }}
        </Show>
      </section>
      <section aria-labelledby="registrations-h">
        <h2 id="registrations-h">{t(M.registrations)}</h2>
        {registrations.state === 'failed' ? <ErrorBox error={registrations.error} /> : (
          <Show loaded={registrations}>
            {({ items }) => (
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t(M.registrations)}>
                <table>
                  <thead><tr><th scope="col">{t(M.trackingCode)}</th><th scope="col">{t(M.applicant)}</th><th scope="col">{t(M.university)}</th><th scope="col">{t(M.examScore)}</th><th scope="col">{t(M.state)}</th></tr></thead>
                  <tbody>
                    {items.map((r) => (
                      <tr key={r.applicationId}>
                        <td><a href={`/console/applications/${encodeURIComponent(r.applicationId)}`} dir="ltr">{r.trackingCode}</a></td>
                        <td dir="auto">{r.applicant ? `${r.applicant.firstName} ${r.applicant.lastName}` : '—'}</td>
                        <td>{r.university}</td>
                        <td>{score(n, r.examScore)}</td>
                        <td>{r.status}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Show>
        )}
      </section>
    </>
  );
}
