/**
 * The officers' console's backend-for-frontend, mounted by the gateway at `/console`: signing in
 * with OpenID Connect (authorization code + PKCE S256, nonce), sessions held server side (the
 * browser has an HttpOnly cookie naming one, never a token), and a proxy that calls the gateway's
 * own `/v1` with the officer's access token and returns its signed answer as it is, so the browser
 * verifies every response against the JWKS. Routes: see the URL contract in docs/console.md.
 *
 * @example
 * app.route('/console', createConsole({ issuer, clientId, clientSecret, publicUrl: 'http://127.0.0.1:8080',
 *   distDir: 'console/dist', db, verifyAccessToken, forward: (request, env) => app.fetch(request, env) }));
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as client from 'openid-client';
import type { Database } from '../../db/client.js';
import { appendAudit } from '../../domain/audit.js';
import type { Actor } from '../../services/context.js';
import { DomainError } from '../../services/errors.js';
import { lazyOidcClient } from './oidc.js';
import { forwardToApi } from './proxy.js';
import { createSession, deleteSession, findSession, savePendingLogin, takePendingLogin } from './sessions.js';
import { spaFiles } from './spa.js';
import { newCookieValue } from './token-box.js';

/** What the gateway is given to mount the console (`GatewayOptions.console`). */
export interface ConsoleSettings {
  /** The OpenID provider officers sign in at (discovered from `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The gateway's public URL as the browser sees it (`http://127.0.0.1:8080`): callback and sign-out URLs are built on it. */
  publicUrl: string;
  /** The console app's build (`console/dist`): index.html and assets/. */
  distDir: string;
}

export interface ConsoleOptions extends ConsoleSettings {
  db: Database;
  /** The gateway's own token check: the actor its claim mapping gives the access token. */
  verifyAccessToken(token: string): Promise<Actor>;
  /** Calls the gateway itself in process (`app.fetch`), with the incoming request's environment. */
  forward(request: Request, env: unknown): Promise<Response>;
}

export const SESSION_COOKIE = 'parvaneh_console';
/** The largest request body the console's proxy passes on. */
export const PROXY_BODY_BYTES = 16 * 1024 * 1024;
/** Binds a sign-in under way to the browser that started it (against login CSRF). */
export const LOGIN_COOKIE = 'parvaneh_console_login';
/** The header an unsafe request through the console must carry (a cross-site form cannot send it). */
export const CONSOLE_HEADER = 'x-parvaneh-console';

const unauthenticated = (detail: string) =>
  new DomainError('unauthenticated', 'unauthenticated', { fa: 'وارد نشده‌اید', en: 'not signed in' }, detail);
const signInFailed = (detail: string) =>
  new DomainError('invalid-input', 'sign-in-failed', { fa: 'ورود انجام نشد؛ دوباره وارد شوید', en: 'sign-in failed; sign in again' }, detail);

/** A return path inside the console only (no `//host`, no backslashes), else the inbox. */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !value.startsWith('/console/') || /[\\\s]|\/\/|\/\.\.?(\/|$)/.test(value)) return '/console/';
  return value;
}

/** The console's Hono app: mount it at `/console`. */
export function createConsole(options: ConsoleOptions): Hono {
  const app = new Hono();
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const origin = new URL(publicUrl).origin;
  const secure = publicUrl.startsWith('https:');
  const callbackUrl = `${publicUrl}/console/callback`;
  const signedOutUrl = `${publicUrl}/console/signed-out`;
  const oidc = lazyOidcClient(options);
  const spa = spaFiles(options.distDir);
  const cookieOptions = { httpOnly: true, sameSite: 'Lax' as const, path: '/console', secure };

  /** An unsafe method needs the console's header and, when an Origin is sent, the console's own. */
  const assertConsoleRequest = (c: Context) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return;
    const from = c.req.header('origin');
    if (c.req.header(CONSOLE_HEADER) !== '1' || (from !== undefined && from !== origin)) {
      throw new DomainError('forbidden', 'not-from-console', { fa: 'این درخواست از پیشخوان نیامده است', en: 'not a request of the console' },
        `an unsafe request needs "${CONSOLE_HEADER}: 1" and, if it names an Origin, ${origin}`);
    }
  };

  const providerUnavailable = (error: unknown) => {
    const failure = new DomainError('unavailable', 'identity-provider-unavailable', { fa: 'سامانه ورود در دسترس نیست', en: 'the sign-in service is not available' },
      'the identity provider could not be reached');
    failure.cause = error;
    return failure;
  };

  app.get('/', (c) => c.redirect('/console/', 302));

  app.get('/login', async (c) => {
    const config = await oidc().catch((error: unknown) => { throw providerUnavailable(error); });
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const browser = newCookieValue();
    await savePendingLogin(options.db, state, browser, { codeVerifier, nonce, returnPath: safeReturnPath(c.req.query('return')) });
    setCookie(c, LOGIN_COOKIE, browser, { ...cookieOptions, path: '/console/callback', maxAge: 600 });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl, response_type: 'code', scope: 'openid profile', state, nonce,
      // The password every time, even while the provider's session lives: a sign-out whose
      // confirmation at the provider was left unanswered leaves nobody signed in on a shared computer.
      prompt: 'login',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    });
    c.header('cache-control', 'no-store');
    return c.redirect(url.href, 302);
  });

  /** A sign-in that reached its callback and failed there (not a stray callback: those are refused unrecorded). */
  const auditFailedSignIn = (why: string) => appendAudit(options.db, {
    actor: 'console', action: 'console.sign-in-failed', subjectType: 'officer', subjectId: 'unknown', detail: { why, issuer: options.issuer },
  });

  app.get('/callback', async (c) => {
    c.header('cache-control', 'no-store');
    const state = c.req.query('state');
    if (!state) throw signInFailed('the callback carries no state');
    const pending = await takePendingLogin(options.db, state, getCookie(c, LOGIN_COOKIE));
    deleteCookie(c, LOGIN_COOKIE, { ...cookieOptions, path: '/console/callback' });
    if (!pending) throw signInFailed('no sign-in under way for this state in this browser (used already, expired, or started elsewhere)');
    const config = await oidc().catch((error: unknown) => { throw providerUnavailable(error); });
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, new URL(`${callbackUrl}${new URL(c.req.url).search}`), {
        pkceCodeVerifier: pending.codeVerifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
    } catch (error) {
      await auditFailedSignIn('the identity provider did not give tokens for this sign-in');
      const failure = signInFailed('the identity provider did not give tokens for this sign-in');
      failure.cause = error;
      throw failure;
    }
    const accessToken = tokens.access_token;
    const idToken = tokens.id_token!;
    let actor: Actor;
    try {
      actor = await options.verifyAccessToken(accessToken);
    } catch (error) {
      await auditFailedSignIn('the access token is not one the API accepts');
      const failure = signInFailed('the access token is not one the API accepts');
      failure.cause = error;
      throw failure;
    }
    const claims = tokens.claims();
    const lifetime = tokens.expiresIn() ?? 0;
    if (lifetime <= 0) throw signInFailed('the access token has no lifetime');
    const cookie = newCookieValue();
    await createSession(options.db, cookie, {
      actor, name: typeof claims?.name === 'string' ? claims.name : null,
      expiresAt: new Date(Date.now() + lifetime * 1000), tokens: { accessToken, idToken },
    });
    await appendAudit(options.db, {
      actor: actor.subject, action: 'console.signed-in', subjectType: 'officer', subjectId: actor.subject,
      detail: { role: actor.role, county: actor.county ?? null, province: actor.province ?? null, issuer: options.issuer },
    });
    setCookie(c, SESSION_COOKIE, cookie, { ...cookieOptions, maxAge: lifetime });
    return c.redirect(pending.returnPath, 302);
  });

  app.get('/session', async (c) => {
    c.header('cache-control', 'no-store');
    const session = await findSession(options.db, getCookie(c, SESSION_COOKIE));
    if (!session) throw unauthenticated('no console session: sign in at /console/login');
    const { subject, role, county, province } = session.actor;
    return c.json({ subject, name: session.name, role, county: county ?? null, province: province ?? null, expiresAt: session.expiresAt.toISOString() });
  });

  app.post('/logout', async (c) => {
    assertConsoleRequest(c);
    c.header('cache-control', 'no-store');
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = await findSession(options.db, cookie);
    if (cookie) await deleteSession(options.db, cookie);
    deleteCookie(c, SESSION_COOKIE, cookieOptions);
    if (session) {
      await appendAudit(options.db, {
        actor: session.actor.subject, action: 'console.signed-out', subjectType: 'officer', subjectId: session.actor.subject,
        detail: { role: session.actor.role, county: session.actor.county ?? null, province: session.actor.province ?? null },
      });
    }
    const config = await oidc().catch((error: unknown) => { throw providerUnavailable(error); });
    // Without a session (expired) the provider still ends its own, after asking the officer.
    const endSessionUrl = client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: signedOutUrl, ...(session ? { id_token_hint: session.tokens.idToken } : {}),
    });
    return c.json({ endSessionUrl: endSessionUrl.href });
  });

  // The proxy reads a body whole before the gateway applies the operation's own limit: it reads no
  // more than the largest of those (a codec batch, 8 MiB) with room to spare.
  app.use('/api/*', bodyLimit({
    maxSize: PROXY_BODY_BYTES,
    onError: (c) => {
      c.header('connection', 'close');
      throw new DomainError('invalid-input', 'body-too-large', { fa: 'بدنه درخواست بیش از حد بزرگ است', en: 'request body too large' },
        `the body may be at most ${PROXY_BODY_BYTES} bytes`, '(body)');
    },
  }));
  app.all('/api/*', async (c) => {
    assertConsoleRequest(c);
    const session = await findSession(options.db, getCookie(c, SESSION_COOKIE));
    if (!session) throw unauthenticated('no console session: sign in at /console/login');
    return forwardToApi(c, { accessToken: session.tokens.accessToken, forward: options.forward });
  });

  app.get('/assets/:file', (c) => spa.asset(c, c.req.param('file')));
  app.get('/*', (c) => spa.page(c));
  return app;
}
