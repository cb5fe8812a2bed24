import type { EndpointResponse } from '../endpoints/types.ts';
import type { OAuthError } from './oauth-error.ts';

/**
 * How a route answers its errors: token, introspection and revocation as RFC 6749 §5.2 JSON with a
 * Basic challenge, userinfo as JSON with a Bearer challenge (RFC 6750 §3); the authorization endpoint
 * and the pages will redirect to the client or render a page. The route chooses; the writer only writes.
 */
export type ErrorPresenter = (error: OAuthError, requestId?: string) => EndpointResponse;

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. Descriptions may quote
// request values, so anything else becomes '?' and the length is capped.
const maxDescription = 300;
export const safeDescription = (text: string): string => {
  const clean = text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
  return clean.length > maxDescription ? `${clean.slice(0, maxDescription - 3)}...` : clean;
};

/** The WWW-Authenticate value for an error, or undefined when it carries none. */
export type Challenge = (error: OAuthError) => string | undefined;

/** RFC 7235 §3.1: every 401 names the scheme to use; clients authenticate with HTTP Basic (RFC 6749 §2.3.1). */
export const basicChallenge: Challenge = (error) => (error.status === 401 ? 'Basic realm="idproo", charset="UTF-8"' : undefined);

/**
 * RFC 6750 §3: a protected resource answers 400, 401 and 403 with a Bearer challenge that carries the
 * error code and description (§3.1). The description is already limited to characters that need no
 * escaping inside a quoted-string (RFC 9110 §5.6.4): no quote, no backslash.
 */
export const bearerChallenge: Challenge = (error) =>
  error.status === 400 || error.status === 401 || error.status === 403
    ? `Bearer realm="idproo", error="${error.code}", error_description="${safeDescription(error.description)}"`
    : undefined;

/** RFC 6749 §5.2 JSON error body, not cacheable, with the route's challenge. */
export function jsonErrors(challenge: Challenge = basicChallenge): ErrorPresenter {
  return (error) => {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...error.headers };
    const value = headers['www-authenticate'] === undefined ? challenge(error) : undefined;
    if (value !== undefined) headers['www-authenticate'] = value;
    return { status: error.status, headers, body: JSON.stringify({ error: error.code, error_description: safeDescription(error.description) }) };
  };
}

/** What every route answers unless it says otherwise. */
export const defaultErrors: ErrorPresenter = jsonErrors();
