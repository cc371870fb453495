/**
 * The embedded development OpenID provider (oidc-provider, a certified implementation) that
 * `npm start` runs for the officers' console: authorization code with PKCE (S256), one confidential
 * first-party client (the console's backend-for-frontend, client_secret_basic, no consent screen),
 * access tokens as JWT (RFC 9068, ES256) for the API carrying the office's `role`, `county` and
 * `province`, and RP-initiated logout that really ends the provider's session.
 *
 * @example
 * const idp = await startDevIdentityProvider({ port: 8090, stateFile: '.data/idp.json',
 *   redirectUris: ['http://127.0.0.1:8080/console/callback'], postLogoutRedirectUris: ['http://127.0.0.1:8080/console/signed-out'] });
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as oidcErrors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { accountBook, type DevAccount } from './accounts.js';
import { errorPage, langOf, loginPage, logoutPage, signedOutPage, STYLESHEET, STYLESHEET_PATH, type Lang } from './pages.js';
import { loadIdpState } from './state.js';

/** The console's client id at the development provider. */
export const CONSOLE_CLIENT_ID = 'parvaneh-console';
/**
 * The resource indicator of the API (RFC 8707 wants an absolute URI); its tokens' audience is
 * `audience` (the gateway's `parvaneh-api`).
 */
export const API_RESOURCE = 'urn:parvaneh:api';
/** Our assumption: an access token (and so a console session) lives one hour, a working session's stretch. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

export interface DevIdentityProviderOptions {
  host?: string;
  /** 0: any free port. */
  port: number;
  /** Where keys, the client secret and the passwords are kept (created on first start, mode 0600). */
  stateFile: string;
  /** The console's callback URLs (`<public>/console/callback`). */
  redirectUris: string[];
  /** Where the provider may send the browser after sign-out (`<public>/console/signed-out`). */
  postLogoutRedirectUris: string[];
  /** The access tokens' audience (default `parvaneh-api`). */
  audience?: string;
}

export interface DevIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: DevAccount[];
  close(): Promise<void>;
}

/** Failed sign-ins an address may make in a window before it is refused (429) until the window ends. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_SECONDS = 60;

/** Failed sign-ins per address in fixed windows (in memory: one provider process). */
function failureCounter() {
  const windows = new Map<string, { from: number; n: number }>();
  const current = (address: string) => {
    const now = Date.now();
    let entry = windows.get(address);
    if (!entry || now - entry.from >= FAILURE_WINDOW_SECONDS * 1000) {
      if (windows.size > 10_000) windows.clear();
      entry = { from: now, n: 0 };
      windows.set(address, entry);
    }
    return entry;
  };
  return {
    tooMany: (address: string) => current(address).n >= MAX_FAILURES,
    count: (address: string) => { current(address).n += 1; },
  };
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;

/** The CSP of the provider's pages. A form's redirect chain is held to form-action too, so the client's origins are allowed. */
function pageCsp(clientOrigins: string[]): string {
  return `default-src 'none'; style-src 'self'; form-action 'self' ${clientOrigins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider on node:http; `close()` stops it. */
export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const host = options.host ?? '127.0.0.1';
  const audience = options.audience ?? 'parvaneh-api';
  const state = await loadIdpState(options.stateFile);
  const book = accountBook(state.passwords);
  const failures = failureCounter();
  const clientOrigins = [...new Set([...options.redirectUris, ...options.postLogoutRedirectUris].map((u) => new URL(u).origin))];
  const csp = pageCsp(clientOrigins);

  // The port is known only once listening (port 0 in tests), and the issuer must name it: listen first.
  const server = createServer();
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, () => ready());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const langFromCtx = (ctx: KoaContextWithOIDC): Lang => langOf(ctx.oidc?.params?.ui_locales as string | undefined ?? ctx.query?.lang as string | undefined);

  const configuration: Configuration = {
    clients: [{
      client_id: CONSOLE_CLIENT_ID, client_secret: state.clientSecret, client_name: 'Parvaneh console',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'], response_types: ['code'],
      redirect_uris: options.redirectUris, post_logout_redirect_uris: options.postLogoutRedirectUris,
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [state.signingKey as never] },
    cookies: { keys: state.cookieKeys },
    // The console's client is confidential, and still must use PKCE (S256, the only method v9 knows).
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    // `name` in the ID token, not only at userinfo: the console takes the officer's name from it.
    conformIdTokenClaims: false,
    ttl: { AccessToken: ACCESS_TOKEN_TTL_SECONDS, IdToken: ACCESS_TOKEN_TTL_SECONDS, AuthorizationCode: 60, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    findAccount: (_ctx, sub) => {
      const account = book.find(sub);
      if (!account) return undefined;
      return { accountId: account.username, claims: () => ({ sub: account.username, name: account.name }) };
    },
    // First-party: the console's grant is made here, so no consent screen is shown.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(API_RESOURCE, 'api');
      await grant.save();
      return grant;
    },
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token && typeof token.accountId === 'string' ? book.find(token.accountId) : undefined;
      if (!account) return undefined;
      return { role: account.role, ...(account.county ? { county: account.county } : {}), ...(account.province ? { province: account.province } : {}) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new oidcErrors.InvalidTarget();
          return { scope: 'api', audience, accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.set('content-security-policy', csp);
          ctx.type = 'html';
          ctx.body = logoutPage({ lang: langFromCtx(ctx), form });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.set('content-security-policy', csp);
          ctx.type = 'html';
          ctx.body = signedOutPage(langFromCtx(ctx));
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.set('content-security-policy', csp);
      ctx.type = 'html';
      ctx.body = errorPage(langFromCtx(ctx), out as { error?: string; error_description?: string });
    },
  };
  const provider = new Provider(issuer, configuration);
  // Plain http on loopback, no proxy in front: the forwarded headers of nobody are believed.
  provider.proxy = false;
  const callback = provider.callback();

  const send = (res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
    res.end(body);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, url: URL): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const action = `/interaction/${uid}`;
    if (details.prompt.name !== 'login') {
      // The grant is made by loadExistingGrant; a consent prompt still asked (a new scope) is granted as requested.
      const grant = new provider.Grant({ clientId: String(details.params.client_id), accountId: details.session!.accountId });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      grant.addResourceScope(API_RESOURCE, 'api');
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET') {
      send(res, 200, 'text/html; charset=utf-8', loginPage({ lang: langOf(url.searchParams.get('lang') ?? (details.params.ui_locales as string | undefined)), action }), { 'content-security-policy': csp });
      return;
    }
    const form = await readForm(req);
    const lang = langOf(form.get('lang'));
    const address = req.socket.remoteAddress ?? 'unknown';
    if (failures.tooMany(address)) {
      send(res, 429, 'text/html; charset=utf-8', loginPage({ lang, action, username: form.get('username') ?? '', error: 'throttled' }),
        { 'content-security-policy': csp, 'retry-after': String(FAILURE_WINDOW_SECONDS) });
      return;
    }
    const account = await book.check(form.get('username') ?? '', form.get('password') ?? '');
    if (!account) {
      failures.count(address);
      console.warn(`[idp] a failed sign-in as ${JSON.stringify((form.get('username') ?? '').slice(0, 64))} from ${address}`);
      send(res, 401, 'text/html; charset=utf-8', loginPage({ lang, action, username: form.get('username') ?? '', error: true }), { 'content-security-policy': csp });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.username } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === STYLESHEET_PATH && req.method === 'GET') {
      send(res, 200, 'text/css; charset=utf-8', STYLESHEET, { 'cache-control': 'public, max-age=3600' });
      return;
    }
    const match = INTERACTION.exec(url.pathname);
    if (match && (req.method === 'GET' || req.method === 'POST')) {
      interaction(req, res, match[1]!, url).catch((error: unknown) => {
        if (res.headersSent) return;
        const expired = error instanceof Error && (error.name === 'SessionNotFound' || /interaction/i.test(error.message));
        send(res, expired ? 400 : 500, 'text/html; charset=utf-8',
          errorPage(langOf(url.searchParams.get('lang')), { error: expired ? 'invalid_request' : 'server_error', error_description: expired ? 'the sign-in has expired; start again from the console' : undefined }),
          { 'content-security-policy': csp });
      });
      return;
    }
    void callback(req, res);
  });

  return {
    issuer, clientId: CONSOLE_CLIENT_ID, clientSecret: state.clientSecret, accounts: book.accounts,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
