import { OAuthError } from '../errors/oauth-error.ts';
import { parseParameters } from '../endpoints/request-parameters.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { Client } from '../stores/types.ts';
import type { FormPairs } from '../util/form-urlencoded.ts';
import { isScopeList } from '../util/syntax.ts';

export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/** Where and how the answer goes back to the client: known once the client and redirect URI are valid. */
export interface ResponseTarget {
  readonly redirectUri: string;
  readonly responseMode: ResponseMode;
  readonly state?: string | undefined;
}

/** A validated authorization request (OIDC Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636 §4.3), as the interaction keeps it. */
export interface AuthorizationRequest extends ResponseTarget {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
  readonly codeChallenge?: string | undefined;
  readonly codeChallengeMethod?: 'S256' | 'plain' | undefined;
  readonly prompt: readonly Prompt[];
  /** Seconds (OIDC Core §3.1.2.1). */
  readonly maxAge?: number | undefined;
  readonly loginHint?: string | undefined;
  /** The raw hint; the endpoint verifies it and keeps its subject. */
  readonly idTokenHint?: string | undefined;
  readonly uiLocales?: string | undefined;
  readonly acrValues?: readonly string[] | undefined;
  /** RFC 8707 resource indicators. */
  readonly resources?: readonly string[] | undefined;
}

/**
 * A failure the client can be told about through its redirect URI (RFC 6749 §4.1.2.1). Anything thrown
 * before the redirect URI is validated is a plain OAuthError and answered with a page instead, so a
 * forged request can never turn the server into an open redirector.
 */
export class RedirectableError extends OAuthError {
  readonly target: ResponseTarget;
  constructor(error: OAuthError, target: ResponseTarget) {
    super(error.code, error.description, { status: error.status, detail: error.detail });
    this.name = 'RedirectableError';
    this.target = target;
  }
}

export const parameters = {
  response_type: 'single',
  client_id: 'single',
  redirect_uri: 'single',
  scope: 'single',
  state: 'single',
  nonce: 'single',
  response_mode: 'single',
  prompt: 'single',
  max_age: 'single',
  login_hint: 'single',
  id_token_hint: 'single',
  ui_locales: 'single',
  acr_values: 'single',
  code_challenge: 'single',
  code_challenge_method: 'single',
  request: 'single',
  request_uri: 'single',
  registration: 'single',
  resource: 'repeatable',
} as const;

const responseModes: readonly ResponseMode[] = ['query', 'fragment', 'form_post'];
const prompts: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];
// RFC 7636 §4.2: BASE64URL of a SHA-256 is 43 characters; "plain" challenges are verifiers, 43–128 unreserved characters.
const challengeSyntax = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The one value of a parameter the client and redirect URI hinge on; a repeat is answered with a page. */
function single(pairs: FormPairs, name: string): string | undefined {
  const values = pairs.filter(([n, v]) => n === name && v !== '').map(([, v]) => v);
  if (values.length > 1) throw new OAuthError('invalid_request', `the parameter ${name} is included more than once`);
  return values[0];
}

/** Step 1: the client and the redirect URI. Failures here are shown to the user, never redirected. */
export function readClientAndRedirect(pairs: FormPairs): { clientId: string; redirectUri: string | undefined } {
  const clientId = single(pairs, 'client_id');
  if (clientId === undefined) throw new OAuthError('invalid_request', 'the client_id parameter is missing');
  return { clientId, redirectUri: single(pairs, 'redirect_uri') };
}

/** The response mode to answer an error with when the request's own cannot be used (RFC 6749 §4.1.2.1). */
function targetOf(pairs: FormPairs, redirectUri: string): ResponseTarget {
  const mode = pairs.find(([n]) => n === 'response_mode')?.[1];
  const states = pairs.filter(([n, v]) => n === 'state' && v !== '');
  return {
    redirectUri,
    responseMode: responseModes.includes(mode as ResponseMode) ? (mode as ResponseMode) : 'query',
    // A repeated state is itself the error; echo none rather than pick one.
    state: states.length === 1 ? states[0]![1] : undefined,
  };
}

/**
 * Step 2, once the client and the redirect URI are known good: everything else, every failure a
 * RedirectableError.
 */
export function validateAuthorizationRequest(pairs: FormPairs, client: Client, redirectUri: string, index: ResourceIndex): AuthorizationRequest {
  const fallback = targetOf(pairs, redirectUri);
  const fail = (code: ConstructorParameters<typeof OAuthError>[0], description: string) => new RedirectableError(new OAuthError(code, description), fallback);
  let params;
  try {
    params = parseParameters(pairs, parameters);
  } catch (error) {
    throw error instanceof OAuthError ? new RedirectableError(error, fallback) : error;
  }
  if (params.response_mode !== undefined && !responseModes.includes(params.response_mode as ResponseMode)) {
    throw fail('invalid_request', `the response_mode ${params.response_mode} is not supported; use query, fragment or form_post`);
  }
  const target: ResponseTarget = { redirectUri, responseMode: (params.response_mode as ResponseMode | undefined) ?? 'query', state: params.state };
  const error = (code: ConstructorParameters<typeof OAuthError>[0], description: string) => new RedirectableError(new OAuthError(code, description), target);

  // OIDC Core §6: request objects come with JAR/PAR; until then say so, as §6.1 and §6.2 ask.
  if (params.request !== undefined) throw error('request_not_supported', 'the request parameter is not supported');
  if (params.request_uri !== undefined) throw error('request_uri_not_supported', 'the request_uri parameter is not supported');
  if (params.registration !== undefined) throw error('invalid_request', 'the registration parameter is not supported');

  const responseType = params.response_type;
  if (responseType === undefined) throw error('invalid_request', 'the response_type parameter is missing');
  // "code" is the only response type served: implicit and hybrid are not (RFC 9700 §2.1.2).
  if (responseType !== 'code') throw error('unsupported_response_type', `the response_type ${responseType} is not supported; use code`);
  // RFC 6749 §3.1.1: a response type the client may not use is unauthorized_client.
  if (!client.allowedGrantTypes.includes('authorization_code')) throw error('unauthorized_client', 'the client is not allowed the authorization code flow');

  const scopes = validateScopes(params.scope, client, index, error);

  const prompt = parsePrompt(params.prompt, error);
  let maxAge: number | undefined;
  if (params.max_age !== undefined) {
    if (!/^\d{1,10}$/.test(params.max_age)) throw error('invalid_request', 'max_age must be a whole number of seconds');
    maxAge = Number(params.max_age);
  }

  // RFC 7636 §4.3, §4.4.1; RFC 9700 §2.1.1 makes PKCE the default.
  let codeChallengeMethod: 'S256' | 'plain' | undefined;
  if (params.code_challenge === undefined) {
    if (params.code_challenge_method !== undefined) throw error('invalid_request', 'code_challenge_method is sent without a code_challenge');
    if (client.requirePkce) throw error('invalid_request', 'the client must send a PKCE code_challenge (RFC 7636)');
  } else {
    if (!challengeSyntax.test(params.code_challenge)) throw error('invalid_request', 'the code_challenge must be 43 to 128 unreserved characters (RFC 7636 §4.2)');
    const method = params.code_challenge_method ?? 'plain';
    if (method !== 'S256' && method !== 'plain') throw error('invalid_request', `the code_challenge_method ${method} is not supported; use S256`);
    if (method === 'plain' && !client.allowPlainTextPkce) throw error('invalid_request', 'the plain code_challenge_method is not allowed for this client; use S256');
    codeChallengeMethod = method;
  }

  const resources = params.resource;
  for (const resource of resources) {
    if (!index.apiResources.has(resource)) throw error('invalid_target', `the resource ${resource} is not an API this server issues tokens for (RFC 8707 §2)`);
  }

  return {
    ...target,
    clientId: client.clientId,
    scopes,
    nonce: params.nonce,
    codeChallenge: params.code_challenge,
    codeChallengeMethod,
    prompt,
    maxAge,
    loginHint: params.login_hint,
    idTokenHint: params.id_token_hint,
    uiLocales: params.ui_locales,
    acrValues: params.acr_values?.split(' ').filter((v) => v !== ''),
    resources: resources.length > 0 ? resources : undefined,
  };
}

type MakeError = (code: ConstructorParameters<typeof OAuthError>[0], description: string) => RedirectableError;

/** OIDC Core §3.1.2.1: `none` stands alone; unknown values are an error rather than silently ignored. */
function parsePrompt(value: string | undefined, error: MakeError): readonly Prompt[] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(' ').filter((v) => v !== ''))];
  for (const v of values) if (!prompts.includes(v as Prompt)) throw error('invalid_request', `the prompt value ${v} is not supported`);
  if (values.includes('none') && values.length > 1) throw error('invalid_request', 'prompt=none cannot be combined with other prompt values');
  return values as Prompt[];
}

/**
 * RFC 6749 §3.3: every requested scope must be one the client is allowed and the server knows; none is
 * dropped silently. `offline_access` (OIDC Core §11) needs the client's allowOfflineAccess.
 */
function validateScopes(scope: string | undefined, client: Client, index: ResourceIndex, error: MakeError): readonly string[] {
  if (scope === undefined) throw error('invalid_scope', 'the scope parameter is missing; request at least "openid" or an API scope');
  if (!isScopeList(scope)) throw error('invalid_scope', 'the scope parameter is not a space-separated list of scope names (RFC 6749 §3.3)');
  const requested = [...new Set(scope.split(' '))];
  for (const name of requested) {
    if (name === 'offline_access') {
      if (!client.allowOfflineAccess) throw error('invalid_scope', 'the client is not allowed offline_access');
      continue;
    }
    if (!index.identityScopes.has(name) && !index.apiScopes.has(name)) throw error('invalid_scope', `the scope ${name} is unknown`);
    if (!client.allowedScopes.includes(name)) throw error('invalid_scope', `the client is not allowed the scope ${name}`);
  }
  if (requested.some((s) => index.identityScopes.has(s)) && !requested.includes('openid')) {
    throw error('invalid_scope', 'identity scopes need the openid scope (OIDC Core §3.1.2.1)');
  }
  return requested;
}
