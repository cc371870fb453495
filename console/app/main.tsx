/**
 * The officers' console: a single-page app under /console on the public API (through the
 * console's proxy, every response verified in the browser). Persian first, right to left.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { goToLogin, session, signOut, type Session } from './api.js';
import { I18nContext, M, applyLang, i18nFor, initialLang, place, useI18n, type Lang } from './i18n.js';
import { ApplicationPage } from './pages/Application.js';
import { CallPage, CallsPage } from './pages/Calls.js';
import { FiguresPage } from './pages/Figures.js';
import { Inbox } from './pages/Inbox.js';
import { LicencePage, LicencesPage } from './pages/Licences.js';
import { TaskPage } from './pages/Task.js';
import { ErrorBox, PageHeading } from './ui.js';

/** The office the officer works for, by role and place. */
function officeName(s: Session, t: (x: { fa: string; en: string }) => string): string {
  if (s.role === 'county-office') return `${t(M.county_office)} ${t(place(s.county))}`;
  if (s.role === 'province-office') return `${t(M.province_office)} ${t(place(s.province))}`;
  if (s.role === 'national-office') return t(M.national_office);
  return s.role;
}

const NAV = [
  ['/console/', M.inbox],
  ['/console/licences', M.licences],
  ['/console/calls', M.calls],
  ['/console/figures', M.figures],
] as const;

function Header({ who, lang, setLang }: { who?: Session; lang: Lang; setLang: (l: Lang) => void }) {
  const { t } = useI18n();
  const { path } = useLocation();
  return (
    <header class="top">
      <a class="skip" href="#main">{t(M.skip)}</a>
      <div class="brand">
        <span class="app-name">{t(M.appName)}</span>
        {who && <span class="office" data-office>{officeName(who, t)}{who.name ? ` · ${who.name}` : ''}</span>}
      </div>
      {who && (
        <nav aria-label={t(M.mainNav)}>
          <ul>
            {NAV.map(([href, label]) => {
              const here = href === '/console/' ? path === href || path.startsWith('/console/tasks/') : path.startsWith(href);
              return <li key={href}><a href={href} aria-current={here ? 'page' : undefined}>{t(label)}</a></li>;
            })}
          </ul>
        </nav>
      )}
      <div class="actions">
        <button type="button" lang={lang === 'fa' ? 'en' : 'fa'} onClick={() => setLang(lang === 'fa' ? 'en' : 'fa')} aria-label={`${t(M.language)}: ${t(M.otherLanguage)}`}>
          {t(M.otherLanguage)}
        </button>
        {who && <button type="button" onClick={() => void signOut()}>{t(M.signOut)}</button>}
      </div>
    </header>
  );
}

function SignedOutPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t(M.signedOut)}>{t(M.signedOut)}</PageHeading>
      <p><a class="button" href="/console/login?return=%2Fconsole%2F">{t(M.signIn)}</a></p>
    </>
  );
}

function NotFound() {
  const { t } = useI18n();
  return <PageHeading title={t(M.notFound)}>{t(M.notFound)}</PageHeading>;
}

type Who = { state: 'loading' } | { state: 'in'; session: Session } | { state: 'out' } | { state: 'failed'; error: unknown };

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => i18nFor(lang), [lang]);
  const signedOutPage = location.pathname === '/console/signed-out';
  const [who, setWho] = useState<Who>({ state: 'loading' });
  useEffect(() => applyLang(lang), [lang]);
  useEffect(() => {
    if (signedOutPage) {
      setWho({ state: 'out' });
      return;
    }
    session().then(
      (s) => {
        if (s) setWho({ state: 'in', session: s });
        else goToLogin();
      },
      (error: unknown) => setWho({ state: 'failed', error }),
    );
  }, [signedOutPage]);

  return (
    <I18nContext.Provider value={i18n}>
      <LocationProvider scope="/console/">
        <Header who={who.state === 'in' ? who.session : undefined} lang={lang} setLang={setLang} />
        <main id="main" tabIndex={-1}>
          {signedOutPage ? <SignedOutPage /> : who.state === 'failed' ? <ErrorBox error={who.error} /> : who.state !== 'in' ? <p class="muted" aria-busy="true">{i18n.t(M.loading)}</p> : (
            <Router>
              <Route path="/console/" component={Inbox} />
              <Route path="/console/tasks/:taskId" component={TaskPage} />
              <Route path="/console/applications/:applicationId" component={ApplicationPage} />
              <Route path="/console/licences" component={LicencesPage} />
              <Route path="/console/licences/:number" component={LicencePage} />
              <Route path="/console/calls" component={CallsPage} />
              <Route path="/console/calls/:callId" component={CallPage} />
              <Route path="/console/figures" component={FiguresPage} />
              <Route default component={NotFound} />
            </Router>
          )}
        </main>
      </LocationProvider>
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
