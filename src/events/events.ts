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
  | { readonly type: 'http.body_consumed'; readonly requestId: string };

export type IdProoEventType = IdProoEvent['type'];

/** Where code raises events; the provider hands one to everything that raises them. */
export interface EventSink {
  emit(event: IdProoEvent): void;
}
