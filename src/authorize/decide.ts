import { OAuthError } from '../errors/oauth-error.ts';
import type { ConsentDecision } from '../interaction/interaction-data.ts';
import type { Client, Stores, User, UserSession } from '../stores/types.ts';
import type { AuthorizationRequest } from './authorization-request.ts';

/** What the interaction has gathered so far. */
export interface InteractionProgress {
  readonly hintSubject?: string | undefined;
  /** Epoch ms of a sign-in made for this request. */
  readonly signedInAt?: number | undefined;
  readonly consent?: ConsentDecision | undefined;
}

export type Decision =
  | { readonly kind: 'login' }
  | { readonly kind: 'consent' }
  | { readonly kind: 'issue'; readonly session: UserSession; readonly user: User; readonly scopes: readonly string[]; readonly remember?: readonly string[] }
  | { readonly kind: 'error'; readonly error: OAuthError };

/**
 * What an authorization request needs next, given the browser's session and the interaction so far:
 * a sign-in, a consent, or nothing (issue the code). OIDC Core §3.1.2.3 and the prompt rules of §3.1.2.1:
 * `prompt=none` never shows a page but answers login_required / consent_required instead.
 */
export async function decide(
  request: AuthorizationRequest,
  client: Client,
  progress: InteractionProgress,
  session: UserSession | undefined,
  deps: { readonly stores: Pick<Stores, 'users' | 'consents'>; readonly now: number },
): Promise<Decision> {
  const silent = request.prompt.includes('none');
  const user = session === undefined ? undefined : await deps.stores.users.findUserBySubjectId(session.subjectId);
  const login = (description: string): Decision => (silent ? { kind: 'error', error: new OAuthError('login_required', description) } : { kind: 'login' });

  if (session === undefined || user === undefined || !user.enabled) return login('the user is not signed in');
  const fresh = progress.signedInAt !== undefined && session.authTime >= progress.signedInAt;
  if (!fresh) {
    if (request.prompt.includes('login') || request.prompt.includes('select_account')) return { kind: 'login' };
    const age = deps.now - session.authTime;
    if (request.maxAge !== undefined && age > request.maxAge * 1000) return login('the sign-in is older than max_age');
    if (client.userSsoLifetime !== undefined && age > client.userSsoLifetime * 1000) return login('the sign-in is older than the client accepts');
  }
  // OIDC Core §3.1.2.1 id_token_hint: a different signed-in user is not the one the client means.
  if (progress.hintSubject !== undefined && progress.hintSubject !== session.subjectId) return login('the signed-in user is not the one in id_token_hint');

  const consent = progress.consent;
  if (consent !== undefined) {
    if ('denied' in consent) return { kind: 'error', error: new OAuthError('access_denied', 'the user denied the request') };
    return { kind: 'issue', session, user, scopes: consent.granted, ...(consent.remember ? { remember: consent.granted } : {}) };
  }
  if (client.requireConsent) {
    const remembered = await deps.stores.consents.findConsent(session.subjectId, client.clientId, deps.now);
    const covered = remembered !== undefined && request.scopes.every((scope) => remembered.scopes.includes(scope));
    if (!covered || request.prompt.includes('consent')) {
      return silent ? { kind: 'error', error: new OAuthError('consent_required', 'the user has not consented to these scopes') } : { kind: 'consent' };
    }
  }
  return { kind: 'issue', session, user, scopes: request.scopes };
}
