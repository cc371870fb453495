/**
 * The console as an OpenID Connect client (openid-client): discovery of the issuer, done once and
 * tried again after a failure, so the gateway may start before its provider answers. Plain http is
 * allowed for an issuer on loopback only (the embedded development provider).
 */
import * as client from 'openid-client';

export interface OidcClientOptions { issuer: string; clientId: string; clientSecret: string }

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The discovered client configuration, on first use. */
export function lazyOidcClient(options: OidcClientOptions): () => Promise<client.Configuration> {
  const url = new URL(options.issuer);
  const insecure = url.protocol === 'http:';
  if (insecure && !LOOPBACK.test(url.hostname)) throw new Error(`the console's issuer must be https:// (plain http:// only on loopback), not ${options.issuer}`);
  let discovered: Promise<client.Configuration> | undefined;
  return () => {
    discovered ??= client.discovery(url, options.clientId, undefined, client.ClientSecretBasic(options.clientSecret), {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: 5,
    }).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
}
