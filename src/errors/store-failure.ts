import { StoreUnavailableError } from '../stores/errors.ts';
import { isOAuthError, OAuthError } from './oauth-error.ts';

/** Seconds a client is asked to wait before retrying while the database is out of reach. */
export const retryAfterSeconds = 5;

/**
 * The OAuthError a failure stands for, or undefined when it is a bug to report as server_error. An
 * unreachable database is an outage, not a bug: RFC 6749 §4.1.2.1 names `temporarily_unavailable`,
 * and RFC 9110 §15.6.4 / §10.2.3 a 503 with Retry-After, so clients back off and try again.
 */
export function asOAuthError(error: unknown): OAuthError | undefined {
  if (isOAuthError(error)) return error;
  if (error instanceof StoreUnavailableError) {
    return new OAuthError('temporarily_unavailable', 'the server cannot reach its database; try again shortly', {
      status: 503,
      detail: error.cause instanceof Error ? `${error.message} (${error.cause.name})` : error.message,
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
  return undefined;
}
