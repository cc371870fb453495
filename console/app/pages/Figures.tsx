/** The office's own figures: open, overdue and escalated tasks, the time each step takes, inquiries waiting per registry. */
import { api, ok } from '../api.js';
import { M, useI18n } from '../i18n.js';
import { useLicenceTypeTitles } from '../licence-types.js';
import { PageHeading, Show, When, useLoad } from '../ui.js';

export function FiguresPage() {
  const { t, n } = useI18n();
  const typeTitle = useLicenceTypeTitles();
  const [loaded] = useLoad(async () => ok(await api.GET('/v1/office/figures')), []);
  const hours = (x: number | null) => (x === null ? '—' : n(Math.round(x * 10) / 10));
  return (
    <>
      <PageHeading title={t(M.figures)}>{t(M.figures)}</PageHeading>
      <Show loaded={loaded}>
        {(f) => (
          <>
            <ul class="counts">
              <li><strong>{n(f.tasks.open)}</strong> {t(M.open)}</li>
              <li><strong>{n(f.tasks.overdue)}</strong> {t(M.overdue)}</li>
              <li><strong>{n(f.tasks.escalated)}</strong> {t(M.escalated)}</li>
            </ul>
            <section aria-labelledby="steps-h">
              <h2 id="steps-h">{t(M.perStep)}</h2>
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t(M.perStep)}>
                <table>
                  <thead><tr><th scope="col">{t(M.licenceType)}</th><th scope="col">{t(M.step)}</th><th scope="col">{t(M.open)}</th><th scope="col">{t(M.overdue)}</th><th scope="col">{t(M.decidedCount)}</th><th scope="col">{t(M.median)}</th><th scope="col">{t(M.p90)}</th></tr></thead>
                  <tbody>
                    {f.steps.map((s) => (
                      <tr key={`${s.licenceType}/${s.stepId}`}>
                        <td>{t(typeTitle(s.licenceType))}</td><td>{t(s.title)}</td><td>{n(s.open)}</td><td>{n(s.overdue)}</td><td>{n(s.decided)}</td><td>{hours(s.medianHours)}</td><td>{hours(s.p90Hours)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section aria-labelledby="registries-h">
              <h2 id="registries-h">{t(M.waitingPerRegistry)}</h2>
              <div class="table-wrap" tabIndex={0} role="region" aria-label={t(M.waitingPerRegistry)}>
                <table>
                  <thead><tr><th scope="col">{t(M.registry)}</th><th scope="col">{t(M.waiting)}</th><th scope="col">{t(M.late)}</th><th scope="col">{t(M.oldest)}</th></tr></thead>
                  <tbody>
                    {f.inquiries.map((q) => <tr key={q.registry}><td>{q.registry}</td><td>{n(q.waiting)}</td><td>{n(q.late)}</td><td><When iso={q.oldestSince} /></td></tr>)}
                  </tbody>
                </table>
              </div>
            </section>
            <p class="muted">{t(M.generatedAt)}: <When iso={f.generatedAt} time /></p>
          </>
        )}
      </Show>
    </>
  );
}
