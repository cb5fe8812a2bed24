/**
 * Everything noteworthy that happens, as typed events raised in one place (Duende's events,
 * oidc-provider's `grant.success`): the log is their first subscriber; metrics and audit subscribe
 * through `onEvent` without touching the code that raises them. Adding an event adds a member here and
 * a row in log-events.ts.
 */
export type IdProoEvent =
  | {
      readonly type: 'token.issued';
      readonly clientId: string;
      readonly grantType: string;
      readonly format: 'jwt' | 'reference';
      readonly jti: string;
      readonly scope: string;
      readonly subjectId?: string;
    }
  | { readonly type: 'token.revoked'; readonly clientId: string; readonly format: 'jwt' | 'reference'; readonly jti: string }
  | { readonly type: 'client.authentication_failed'; readonly clientId?: string; readonly reason: string }
  | { readonly type: 'key.created'; readonly kid: string; readonly alg: string }
  | { readonly type: 'key.retired'; readonly kid: string; readonly alg: string }
  | { readonly type: 'key.refresh_failed'; readonly err: unknown; readonly retryInMs: number }
  | { readonly type: 'key.unreadable'; readonly unreadable: readonly { readonly kid: string; readonly reason: string }[]; readonly published: readonly string[] }
  | { readonly type: 'config.short_secrets'; readonly paths: readonly string[] }
  | { readonly type: 'cleanup.completed'; readonly removed: number }
  | { readonly type: 'cleanup.failed'; readonly err: unknown }
  | { readonly type: 'http.body_consumed'; readonly requestId: string }
  | { readonly type: 'login.succeeded'; readonly subjectId: string; readonly sessionId: string; readonly clientId?: string }
  | {
      readonly type: 'login.failed';
      readonly username: string;
      readonly reason: 'invalid_credentials' | 'throttled';
      readonly remoteAddress?: string;
      readonly clientId?: string;
    }
  | { readonly type: 'session.ended'; readonly subjectId: string; readonly sessionId: string; readonly reason: 'logout' | 'replaced' }
  | { readonly type: 'consent.granted'; readonly subjectId: string; readonly clientId: string; readonly scopes: readonly string[]; readonly remembered: boolean }
  | { readonly type: 'consent.denied'; readonly subjectId: string; readonly clientId: string }
  | { readonly type: 'authorization_code.replayed'; readonly clientId: string; readonly familyId: string; readonly revoked: number }
  | { readonly type: 'refresh_token.reused'; readonly clientId: string; readonly familyId: string; readonly revoked: number }
  | { readonly type: 'refresh_token.grace_replayed'; readonly clientId: string; readonly familyId: string };

export type IdProoEventType = IdProoEvent['type'];

/** Where code raises events; the provider hands one to everything that raises them. */
export interface EventSink {
  emit(event: IdProoEvent): void;
}
