import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { signingAlgorithms } from '../config/schema.ts';
import { paths } from '../endpoints/paths.ts';
import type { FormPairs } from '../util/form-urlencoded.ts';
import type { Clock } from '../util/clock.ts';
import { constantTimeEqual } from '../util/crypto.ts';
import type { PendingSignIn } from './pending-sign-in.ts';

/**
 * The relying party's half of the code flow, done as any application would do it: over HTTP, against
 * the published endpoints and keys, trusting nothing the provider process knows. Each step is one
 * function; a failure is a SignInFailed whose message is fit for the page.
 */

/** A sign-in that did not complete, with a sentence for the user. */
export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
  /** 400: what the browser brought back is wrong; 502: the provider's endpoints answered wrong, or not at all. */
  readonly status: 400 | 502;
  /** The OAuth error code the provider answered, if it answered one. */
  readonly code: string | undefined;
  constructor(message: string, status: 400 | 502 = 400, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface RelyingPartyDeps {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly clock: Clock;
  /** The issuer's JWKS, fetched and cached by jose (re-fetched when a token names an unknown key). */
  readonly keys: ReturnType<typeof createRemoteJWKSet>;
}

export interface SignedIn {
  readonly idToken: string;
  readonly claims: JWTPayload;
  readonly userinfo: Record<string, unknown>;
  readonly scope: string | undefined;
  readonly expiresIn: number | undefined;
}

/**
 * One request of the relying party to the provider. The demo calls its own server at the issuer URL,
 * as any application would; when the issuer is not reachable from the server itself (a proxy in
 * front, a name only browsers resolve), the page says so rather than failing with a bare 500.
 */
async function call(url: string, init: RequestInit, what: string): Promise<{ response: Response; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new SignInFailed(`The demo could not reach the ${what} at ${url} from the server: ${cause}.`, 502);
  }
  return { response, body: await readJson(response, what) };
}

export const issuerKeys = (issuer: string) => createRemoteJWKSet(new URL(issuer + paths.jwks), { timeoutDuration: 10_000 });

/** The authorization response: the code, once `state` and `iss` say it answers this browser's request of this issuer. */
export function checkAuthorizationResponse(query: FormPairs, pending: PendingSignIn, issuer: string): string {
  const get = (name: string) => {
    const values = query.filter(([key]) => key === name).map(([, value]) => value);
    if (values.length > 1) throw new SignInFailed(`The response repeats the ${name} parameter.`);
    return values[0];
  };
  const state = get('state');
  // RFC 6749 §10.12: a response to a request this browser did not make is a forged one (CSRF).
  if (state === undefined || !constantTimeEqual(Buffer.from(state), Buffer.from(pending.state))) {
    throw new SignInFailed('The response does not carry the state of the sign-in this browser started; it was not made for it.');
  }
  // RFC 9207 §2.4: the provider advertises the iss parameter, so it must be there and name it (mix-up defence).
  if (get('iss') !== issuer) throw new SignInFailed(`The response does not come from the issuer ${issuer} (its iss parameter is missing or different).`);
  const error = get('error');
  if (error !== undefined) {
    const description = get('error_description');
    const why = error === 'access_denied' ? 'The request was denied (on the consent page, No was chosen).' : `The provider answered ${error}.`;
    throw new SignInFailed(description === undefined ? why : `${why} ${description}`, 400, error);
  }
  const code = get('code');
  if (code === undefined) throw new SignInFailed('The response carries neither a code nor an error.');
  return code;
}

async function readJson(response: Response, what: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new SignInFailed(`The ${what} answered ${response.status} without JSON.`, 502);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SignInFailed(`The ${what} answered ${response.status} with something other than a JSON object.`, 502);
  return body as Record<string, unknown>;
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5: a public client sends its client_id and the PKCE verifier, no secret. */
async function redeemCode(deps: RelyingPartyDeps, code: string, pending: PendingSignIn): Promise<Record<string, unknown>> {
  const { response, body } = await call(
    deps.issuer + paths.token,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: deps.redirectUri, client_id: deps.clientId, code_verifier: pending.codeVerifier }),
    },
    'token endpoint',
  );
  if (!response.ok) {
    const code = typeof body.error === 'string' ? body.error : undefined;
    throw new SignInFailed(`The token endpoint refused the code: ${code ?? response.status}${typeof body.error_description === 'string' ? ` (${body.error_description})` : ''}.`, 502, code);
  }
  // RFC 6749 §5.1, OIDC Core §3.1.3.3: a Bearer access token and, for an openid request, an ID token.
  if (typeof body.access_token !== 'string' || typeof body.id_token !== 'string' || typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    throw new SignInFailed('The token response lacks a Bearer access token or an ID token.', 502);
  }
  return body;
}

/** OIDC Core §3.1.3.7: signature against the issuer's published keys, iss, aud (and azp), exp, iat, and the nonce. */
async function validateIdToken(deps: RelyingPartyDeps, idToken: string, pending: PendingSignIn): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, deps.keys, {
      issuer: deps.issuer,
      audience: deps.clientId,
      algorithms: [...signingAlgorithms],
      requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      currentDate: new Date(deps.clock.now()),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) throw new SignInFailed(`The ID token is not valid: ${error.message} (${error.code}).`, 502);
    throw new SignInFailed(`The demo could not read the issuer's keys at ${deps.issuer + paths.jwks} from the server: ${error instanceof Error ? error.message : String(error)}.`, 502);
  }
  // OIDC Core §3.1.3.7 (4, 5): with several audiences, azp must name this client.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== deps.clientId) throw new SignInFailed('The ID token has several audiences and azp does not name this client.', 502);
  // OIDC Core §3.1.3.7 (11): the nonce of this browser's request, so a replayed ID token is refused.
  if (typeof payload.nonce !== 'string' || !constantTimeEqual(Buffer.from(payload.nonce), Buffer.from(pending.nonce))) {
    throw new SignInFailed('The ID token does not carry the nonce of the sign-in this browser started.');
  }
  return payload;
}

/** OIDC Core §5.3: the claims, with the access token; §5.3.4: `sub` must be the ID token's. */
async function fetchUserInfo(deps: RelyingPartyDeps, accessToken: string, subject: string | undefined): Promise<Record<string, unknown>> {
  const { response, body } = await call(deps.issuer + paths.userinfo, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } }, 'userinfo endpoint');
  if (!response.ok) throw new SignInFailed(`The userinfo endpoint refused the access token: ${typeof body.error === 'string' ? body.error : response.status}.`, 502);
  if (body.sub !== subject) throw new SignInFailed('The userinfo response is about another subject than the ID token.', 502);
  return body;
}

/** The whole callback: check the response → redeem the code → validate the ID token → call userinfo. */
export async function completeSignIn(deps: RelyingPartyDeps, query: FormPairs, pending: PendingSignIn): Promise<SignedIn> {
  const code = checkAuthorizationResponse(query, pending, deps.issuer);
  const tokens = await redeemCode(deps, code, pending);
  const idToken = tokens.id_token as string;
  const claims = await validateIdToken(deps, idToken, pending);
  const userinfo = await fetchUserInfo(deps, tokens.access_token as string, claims.sub);
  return {
    idToken,
    claims,
    userinfo,
    scope: typeof tokens.scope === 'string' ? tokens.scope : undefined,
    expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : undefined,
  };
}
