import type { EndpointResponse } from '../endpoints/types.ts';
import type { OAuthError } from '../errors/oauth-error.ts';
import { safeDescription } from '../errors/error-response.ts';
import type { ResponseTarget } from './authorization-request.ts';

/** Renders the OAuth 2.0 Form Post Response Mode page (pages/ supplies it, so this file stays transport-free). */
export type FormPostRenderer = (action: string, fields: Readonly<Record<string, string>>, cookies: readonly string[]) => EndpointResponse;

/**
 * Sends parameters back to the client (RFC 6749 §4.1.2, OAuth 2.0 Multiple Response Types §2.1 for
 * `fragment`, Form Post Response Mode §2). `iss` goes on every response, success or error (RFC 9207
 * §2), so a client talking to several providers can tell a mix-up.
 */
export function authorizationResponse(
  target: ResponseTarget,
  issuer: string,
  values: Readonly<Record<string, string>>,
  formPost: FormPostRenderer,
  cookies: readonly string[] = [],
): EndpointResponse {
  const fields: Record<string, string> = { ...values };
  if (target.state !== undefined) fields['state'] = target.state;
  fields['iss'] = issuer;
  if (target.responseMode === 'form_post') return formPost(target.redirectUri, fields, cookies);
  const encoded = new URLSearchParams(fields).toString();
  // The registered URI is kept byte for byte (its own query included), since the client compares it.
  const location =
    target.responseMode === 'fragment'
      ? `${target.redirectUri}#${encoded}`
      : `${target.redirectUri}${target.redirectUri.includes('?') ? '&' : '?'}${encoded}`;
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) },
  };
}

/** RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6 error response. */
export function authorizationErrorResponse(target: ResponseTarget, issuer: string, error: OAuthError, formPost: FormPostRenderer, cookies: readonly string[] = []): EndpointResponse {
  return authorizationResponse(target, issuer, { error: error.code, error_description: safeDescription(error.description) }, formPost, cookies);
}
