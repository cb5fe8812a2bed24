import type { Client } from '../stores/types.ts';

const loopbackHosts = new Set(['127.0.0.1', '[::1]']);

/**
 * OIDC Core §3.1.2.1: the redirect URI must match a registered one exactly, by simple string
 * comparison (RFC 9700 §4.1.3: no pattern, no normalisation). The one leniency is RFC 8252 §7.3: a
 * native (public) client's loopback IP redirect may use any port, since the app picks a free one at
 * run time; everything but the port must still match.
 */
export function isRegisteredRedirectUri(client: Client, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (client.requireClientSecret || !redirectUri.startsWith('http://')) return false;
  const requested = loopback(redirectUri);
  if (requested === undefined) return false;
  return client.redirectUris.some((registered) => {
    const candidate = loopback(registered);
    return candidate !== undefined && candidate.host === requested.host && candidate.rest === requested.rest;
  });
}

/** An http loopback IP URI split into its host and everything after the port; undefined otherwise. */
function loopback(uri: string): { host: string; rest: string } | undefined {
  const match = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/.exec(uri);
  if (match === null || !loopbackHosts.has(match[1]!)) return undefined;
  if (match[2] !== undefined && Number(match[2]) > 65535) return undefined;
  return { host: match[1]!, rest: match[3] ?? '' };
}
