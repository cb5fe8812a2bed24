import type { EndpointRequest, EndpointResponse } from '../endpoints/types.ts';

/** A problem shown to the user rather than sent to a client. */
export interface ShownError {
  readonly status: number;
  readonly error: string;
  readonly description?: string | undefined;
  /** A link back to the application, when one is known. */
  readonly returnUri?: string | undefined;
}

/**
 * Where a form's answer may lead besides this server: Chromium applies CSP form-action to the redirects
 * that answer a form post too, so a sign-in that ends at the client's redirect URI must list it.
 */
interface LeadsTo {
  readonly formActions?: readonly string[] | undefined;
}

export interface LoginView extends LeadsTo {
  readonly interactionId: string;
  readonly csrfToken: string;
  readonly username?: string | undefined;
  readonly error?: 'invalid_credentials' | 'throttled' | 'csrf' | undefined;
  readonly retryAfterSeconds?: number | undefined;
  readonly clientName?: string | undefined;
}

export interface ScopeChoice {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly required: boolean;
  readonly checked: boolean;
}

export interface ConsentView extends LeadsTo {
  readonly interactionId: string;
  readonly csrfToken: string;
  readonly clientName: string;
  readonly identityScopes: readonly ScopeChoice[];
  readonly apiScopes: readonly ScopeChoice[];
  readonly allowRemember: boolean;
  readonly error?: 'csrf' | undefined;
}

export interface LogoutView extends LeadsTo {
  readonly logoutId: string;
  readonly csrfToken: string;
  readonly clientName?: string | undefined;
}

/**
 * What the protocol endpoints ask of the pages, whoever renders them: the built-in pages (pages/) or,
 * for errors, the host's error URL. Each call picks the locale from the request and `uiLocales`
 * (OIDC Core §3.1.2.1) and sets the given cookies.
 */
export interface InteractionPages {
  error(request: EndpointRequest, shown: ShownError, uiLocales?: string, cookies?: readonly string[]): EndpointResponse;
  formPost(request: EndpointRequest, action: string, fields: Readonly<Record<string, string>>, cookies: readonly string[]): EndpointResponse;
  login(request: EndpointRequest, view: LoginView, uiLocales?: string, cookies?: readonly string[]): EndpointResponse;
  consent(request: EndpointRequest, view: ConsentView, uiLocales?: string, cookies?: readonly string[]): EndpointResponse;
  logout(request: EndpointRequest, view: LogoutView, uiLocales?: string, cookies?: readonly string[]): EndpointResponse;
  signedOut(request: EndpointRequest, view: { readonly postLogoutRedirectUri?: string | undefined; readonly clientName?: string | undefined }, uiLocales?: string, cookies?: readonly string[]): EndpointResponse;
}
