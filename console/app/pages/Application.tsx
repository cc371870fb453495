/**
 * An application: its timeline, and its process drawn from the step graph of the definition version
 * it runs on (ProcessDiagram), the passed steps and the current one marked; the same steps as an
 * ordered list right after it (the drawing's text alternative); the Mermaid source in a <details>.
 */
import { api, ok } from '../api.js';
import { M, place, state as stateText, useI18n } from '../i18n.js';
import { useLicenceTypeTitles } from '../licence-types.js';
import { PageHeading, Show, When, useLoad } from '../ui.js';
import { ProcessDiagram, edgeKey, type ProcessGraph, type StepState } from './ProcessDiagram.js';
import { Documents, Facts, Inquiries, loadApplication } from './Task.js';

async function graphOf(licenceType: string, version: number): Promise<ProcessGraph> {
  return ok(await api.GET('/v1/licence-types/{typeId}/graph', { params: { path: { typeId: licenceType }, query: { version } } }));
}

async function diagramOf(licenceType: string, version: number): Promise<string> {
  const res = await api.GET('/v1/licence-types/{typeId}/diagram', { params: { path: { typeId: licenceType }, query: { version } }, parseAs: 'text' });
  return ok(res) as string;
}

export function ApplicationPage({ applicationId }: { applicationId: string }) {
  const { t, digits } = useI18n();
  const typeTitle = useLicenceTypeTitles();
  const [loaded] = useLoad(async () => {
    const view = await loadApplication(applicationId);
    const { licenceType, definitionVersion } = view.application;
    const [graph, diagram] = await Promise.all([
      graphOf(licenceType, definitionVersion),
      diagramOf(licenceType, definitionVersion).catch(() => ''),
    ]);
    return { view, graph, diagram };
  }, [applicationId]);
  return (
    <Show loaded={loaded}>
      {({ view, graph, diagram }) => {
        const app = view.application;
        const steps = graph.nodes.filter((s) => s.kind !== 'join');
        const passed = new Set(view.timeline.map((e) => e.stepId).filter((s): s is string => !!s));
        const current = new Set([app.currentStep, ...view.tasks.filter((x) => x.status === 'open').map((x) => x.stepId)].filter((s): s is string => !!s));
        const state = (id: string): StepState => (current.has(id) ? 'current' : passed.has(id) ? 'passed' : 'ahead');
        // The edges it went along: from each step the timeline enters to the next one it enters.
        const entered = view.timeline.map((e) => e.stepId).filter((s): s is string => !!s).filter((s, i, all) => s !== all[i - 1]);
        const taken = new Set(entered.slice(1).map((to, i) => edgeKey(entered[i]!, to)));
        const title = `${t(M.application)} ${app.trackingCode}`;
        return (
          <>
            <PageHeading title={title}>{t(M.application)} <span dir="ltr">{app.trackingCode}</span></PageHeading>
            <dl class="facts">
              <div><dt>{t(M.licenceType)}</dt><dd>{t(typeTitle(app.licenceType))} <span dir="ltr">({app.licenceType} v{digits(String(app.definitionVersion))})</span></dd></div>
              <div><dt>{t(M.state)}</dt><dd>{t(stateText(app.status))}{app.outcomeReason ? ` · ${app.outcomeReason}` : ''}</dd></div>
              <div><dt>{t(M.county)}</dt><dd>{t(place(app.county))}</dd></div>
              <div><dt>{t(M.current)}</dt><dd>{app.currentStep ?? '—'}</dd></div>
            </dl>
            <section aria-labelledby="process-h">
              <h2 id="process-h">{t(M.process)}</h2>
              <ProcessDiagram graph={graph} state={state} taken={taken} />
              <ol class="steps">
                {steps.map((s) => {
                  const stepState = state(s.id);
                  return (
                    <li key={s.id} class={`step step-${stepState}`} aria-current={stepState === 'current' ? 'step' : undefined}>
                      <span>{t(s.title) || s.id}</span> <small class="muted" dir="ltr">{s.id}</small>
                      {stepState !== 'ahead' && <span class={`tag tag-${stepState}`}>{t(stepState === 'current' ? M.current : M.passed)}</span>}
                    </li>
                  );
                })}
              </ol>
              {diagram && (
                <details>
                  <summary>{t(M.mermaid)}</summary>
                  <pre dir="ltr">{diagram}</pre>
                </details>
              )}
            </section>
            <section aria-labelledby="timeline-h">
              <h2 id="timeline-h">{t(M.timeline)}</h2>
              <ol class="timeline">
                {view.timeline.map((e) => (
                  <li key={e.seq}><When iso={e.occurredAt} time /> · <span dir="ltr">{e.kind}</span>{e.stepId && <> · <span dir="ltr">{e.stepId}</span></>}</li>
                ))}
              </ol>
            </section>
            <section aria-labelledby="tasks-h">
              <h2 id="tasks-h">{t(M.inbox)}</h2>
              <ul>
                {view.tasks.map((x) => <li key={x.id}><a href={`/console/tasks/${encodeURIComponent(x.id)}`}>{t(x.title)}</a> · {x.status}{x.outcome ? ` · ${x.outcome}` : ''}</li>)}
              </ul>
            </section>
            <section aria-labelledby="app-inquiries-h">
              <h2 id="app-inquiries-h">{t(M.inquiries)}</h2>
              <Inquiries inquiries={view.inquiries} />
            </section>
            <section aria-labelledby="app-documents-h">
              <h2 id="app-documents-h">{t(M.documents)}</h2>
              <Documents documents={view.documents} applicationId={app.id} />
            </section>
            {view.licences.length > 0 && (
              <section aria-labelledby="app-licences-h">
                <h2 id="app-licences-h">{t(M.licences)}</h2>
                <ul>{view.licences.map((l) => <li key={l.number}><a href={`/console/licences/${encodeURIComponent(l.number)}`} dir="ltr">{l.number}</a> · {t(l.title)}</li>)}</ul>
              </section>
            )}
            <details>
              <summary>{t(M.facts)}</summary>
              <Facts facts={app.facts} />
            </details>
          </>
        );
      }}
    </Show>
  );
}
