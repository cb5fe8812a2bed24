/**
 * Error codes from RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6, RFC 7009 §2.2.1, RFC 8707 §2 and RFC 6750 §3.1 (`invalid_token`,
 * `insufficient_scope`), plus `not_found` for a path where no endpoint is.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'not_found'
  // RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6: answered to the client through its redirect URI.
  | 'unsupported_response_type'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'account_selection_required'
  | 'request_not_supported'
  | 'request_uri_not_supported';

const defaultStatus: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unsupported_token_type: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
  not_found: 404,
  unsupported_response_type: 400,
  access_denied: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  account_selection_required: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
};

export interface OAuthErrorOptions {
  /** HTTP status; defaults to the code's usual status. */
  status?: number;
  /** Logged, never sent to the client. */
  detail?: string;
  /** Extra response headers (WWW-Authenticate, Allow). */
  headers?: Record<string, string>;
  /** The thrower already logged it (once, for a fault that repeats on every request); the writer does not log it again. */
  reported?: boolean;
}

/**
 * The one error type the protocol core throws. `description` is sent to the client; `detail` is
 * only logged (fosite's split between what the client is told and what operators need).
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly reported: boolean;

  constructor(code: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
    this.code = code;
    this.description = description;
    this.status = options.status ?? defaultStatus[code];
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.reported = options.reported ?? false;
  }
}

export const isOAuthError = (value: unknown): value is OAuthError => value instanceof OAuthError;
