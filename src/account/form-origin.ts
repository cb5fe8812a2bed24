import type { EndpointRequest } from '../endpoints/types.ts';

/**
 * Defence in depth beside the synchronizer token (OWASP CSRF Prevention, "Fetch Metadata" and "Verifying
 * origin with standard headers"): a form post must come from the provider's own pages. Sec-Fetch-Site,
 * which a page cannot forge, decides when the browser sends it. Without it (older browsers) the Origin
 * header must be this server's or `null`: the pages' `Referrer-Policy: no-referrer` makes a browser send
 * `Origin: null` on its own form posts (Fetch §3.1), and the token still guards that case.
 */
export function isSameOriginForm(request: Pick<EndpointRequest, 'header'>, issuer: string): boolean {
  const site = request.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = request.header('origin');
  return origin === undefined || origin === 'null' || origin === new URL(issuer).origin;
}
