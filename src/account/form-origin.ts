import type { EndpointRequest } from '../endpoints/types.ts';

/**
 * Defence in depth beside the synchronizer token (OWASP CSRF Prevention, "Verifying origin with standard
 * headers"): a form post must come from the provider's own pages. Browsers send Sec-Fetch-Site (Fetch
 * Metadata) and Origin on POST; when present they must say same-origin.
 */
export function isSameOriginForm(request: Pick<EndpointRequest, 'header'>, issuer: string): boolean {
  const site = request.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.header('origin');
  return origin === undefined || origin === new URL(issuer).origin;
}
