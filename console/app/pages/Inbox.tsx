/**
 * The inbox: the office's open tasks, prioritised ones first then by due date (the API's order),
 * overdue and escalated marked in words, filters (licence type, step, due) kept in the URL, counts
 * per state. Plain rows: a thousand tasks render without per-row work beyond two cached formatters.
 */
import { useLocation } from 'preact-iso';
import { api, ok } from '../api.js';
import { M, useI18n, type I18n, type Text } from '../i18n.js';
import { useLicenceTypeTitles } from '../licence-types.js';
import type { Task } from '../types.js';
import { PageHeading, Show, useLoad } from '../ui.js';

const DUE = ['overdue', 'escalated', 'today', 'week'] as const;
type Due = (typeof DUE)[number];

function Row({ task, now, i18n, typeTitle }: { task: Task; now: number; i18n: I18n; typeTitle: (id: string) => Text }) {
  const { t, n, jalali, gregorian } = i18n;
  const overdue = Date.parse(task.dueAt) < now;
  // Working days by the server's holiday calendar, the one its deadlines are counted in.
  const days = task.dueInWorkingDays;
  return (
    <tr class={overdue ? 'overdue' : undefined}>
      <td><a href={`/console/tasks/${encodeURIComponent(task.id)}`}>{t(task.title)}</a></td>
      <td>{task.applicant ? `${task.applicant.firstName} ${task.applicant.lastName}` : '—'}</td>
      <td>{t(typeTitle(task.licenceType))}</td>
      <td>
        <time dateTime={task.dueAt} title={gregorian(task.dueAt)}>{jalali(task.dueAt)}</time>
        <br />
        <small>{n(Math.abs(days))} {t(days >= 0 ? M.workingDaysLeft : M.workingDaysLate)}</small>
      </td>
      <td>
        {overdue && <span class="tag tag-overdue">{t(M.overdue)}</span>}
        {task.escalatedAt && <span class="tag tag-escalated">{t(M.escalated)}</span>}
        {!overdue && !task.escalatedAt && <span class="tag">{t(M.open)}</span>}
      </td>
      <td>{task.priority?.length ? task.priority.map((p) => t(p)).join('؛ ') : '—'}</td>
    </tr>
  );
}

export function Inbox() {
  const i18n = useI18n();
  const typeTitle = useLicenceTypeTitles();
  const { t, n } = i18n;
  const { query, route, path } = useLocation();
  const filters = { licenceType: query.licenceType ?? '', stepId: query.stepId ?? '', due: query.due ?? '' };
  const search = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
  const [loaded] = useLoad(async () => ok(await api.GET('/v1/tasks', { params: { query: {
    licenceType: filters.licenceType || undefined, stepId: filters.stepId || undefined,
    due: DUE.includes(filters.due as Due) ? (filters.due as Due) : undefined,
  } } })), [search]);
  const now = Date.now();

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams([...data.entries()].filter(([, v]) => v !== '') as [string, string][]).toString();
    route(`${path}${next ? `?${next}` : ''}`);
  };

  return (
    <>
      <PageHeading title={t(M.inbox)}>{t(M.inbox)}</PageHeading>
      <Show loaded={loaded}>
        {(list) => {
          const counts = list.counts;
          const types = [...new Set(list.items.map((x) => x.licenceType).filter((x): x is string => !!x))].sort();
          const steps = [...new Map(list.items.map((x) => [x.stepId, x.title])).entries()];
          return (
            <>
              <section aria-labelledby="counts-h">
                <h2 id="counts-h" class="visually-hidden">{t(M.counts)}</h2>
                <ul class="counts">
                  <li><strong>{n(counts.open)}</strong> {t(M.open)}</li>
                  <li><strong>{n(counts.overdue)}</strong> {t(M.overdue)}</li>
                  <li><strong>{n(counts.escalated)}</strong> {t(M.escalated)}</li>
                  <li><strong>{n(counts.prioritised)}</strong> {t(M.prioritised)}</li>
                </ul>
              </section>
              <form class="filters" onSubmit={onSubmit} aria-label={t(M.filters)}>
                <div class="field">
                  <label for="f-type">{t(M.licenceType)}</label>
                  <select id="f-type" name="licenceType" value={filters.licenceType}>
                    <option value="">{t(M.all)}</option>
                    {[...new Set([...types, filters.licenceType].filter(Boolean))].map((x) => <option key={x} value={x}>{t(typeTitle(x))}</option>)}
                  </select>
                </div>
                <div class="field">
                  <label for="f-step">{t(M.step)}</label>
                  <select id="f-step" name="stepId" value={filters.stepId}>
                    <option value="">{t(M.all)}</option>
                    {filters.stepId && !steps.some(([id]) => id === filters.stepId) && <option value={filters.stepId}>{filters.stepId}</option>}
                    {steps.map(([id, title]) => <option key={id} value={id}>{t(title)}</option>)}
                  </select>
                </div>
                <div class="field">
                  <label for="f-due">{t(M.due)}</label>
                  <select id="f-due" name="due" value={filters.due}>
                    <option value="">{t(M.all)}</option>
                    {DUE.map((d) => <option key={d} value={d}>{t(M[d])}</option>)}
                  </select>
                </div>
                <button type="submit">{t(M.filter)}</button>
              </form>
              <p aria-live="polite" class="muted" id="inbox-status">{n(list.items.length)} {t(M.tasksShown)}</p>
              {list.items.length === 0 ? <p>{t(M.noTasks)}</p> : (
                <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="inbox-caption">
                  <table class="inbox">
                    <caption id="inbox-caption">{t(M.inbox)}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t(M.task)}</th>
                        <th scope="col">{t(M.applicant)}</th>
                        <th scope="col">{t(M.licenceType)}</th>
                        <th scope="col">{t(M.due)}</th>
                        <th scope="col">{t(M.state)}</th>
                        <th scope="col">{t(M.priority)}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.items.map((task) => <Row key={task.id} task={task} now={now} i18n={i18n} typeTitle={typeTitle} />)}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </Show>
    </>
  );
}
