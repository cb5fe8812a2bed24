import type { AuthorizationRequest } from '../authorize/authorization-request.ts';

/** The consent the user gave or refused on the consent page (or the host's). */
export type ConsentDecision =
  | { readonly granted: readonly string[]; readonly remember: boolean }
  | { readonly denied: true };

/** A pending authorization request: what the pages read and advance. */
export interface AuthorizeInteraction {
  readonly kind: 'authorize';
  readonly request: AuthorizationRequest;
  /** The subject of a verified `id_token_hint`. */
  readonly hintSubject?: string | undefined;
  /** What the user is asked for now. */
  readonly step: 'login' | 'consent';
  /** Synchronizer token of the page's form (OWASP CSRF Prevention). */
  readonly csrfToken: string;
  /** Epoch ms of a sign-in made for this request: it satisfies prompt=login and max_age. */
  readonly signedInAt?: number | undefined;
  readonly consent?: ConsentDecision | undefined;
}

/** A sign-out waiting for the user's confirmation (RP-Initiated Logout §2 without a valid hint). */
export interface LogoutInteraction {
  readonly kind: 'logout';
  readonly clientId?: string | undefined;
  readonly postLogoutRedirectUri?: string | undefined;
  readonly state?: string | undefined;
  readonly uiLocales?: string | undefined;
  readonly csrfToken: string;
}

export type InteractionData = AuthorizeInteraction | LogoutInteraction;
