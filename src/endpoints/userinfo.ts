import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import type { User } from '../stores/types.ts';
import type { AccessTokenClaims } from '../tokens/access-token-claims.ts';
import { resolveAccessToken } from '../tokens/resolve-access-token.ts';
import { openidScope } from '../tokens/user-tokens.ts';
import { identityClaimTypes, userClaims } from '../users/claims.ts';
import { parseParameters } from './request-parameters.ts';
import { jsonResponse, noStore, type Endpoint, type EndpointRequest } from './types.ts';

// RFC 6750 §2.2: the one parameter a form body may carry here.
const parameters = { access_token: 'single' } as const;

type Deps = Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'resources'>;

/**
 * OIDC Core §5.3 UserInfo endpoint, a protected resource (RFC 6750): read the bearer token → resolve it →
 * check it is a user's token granted `openid` → find the user → answer `sub` and the claims of the
 * granted identity scopes (OIDC Core §5.4). Errors carry a Bearer challenge (the route's presenter).
 */
export function createUserInfoEndpoint(services: Deps): Endpoint {
  return async (request) => {
    const token = await presentedBearerToken(request);
    const claims = await authorizedClaims(token, services);
    const user = await activeUser(claims.sub, services);
    const scopes = claims.scope.split(' ');
    const released = userClaims(user, identityClaimTypes(scopes, await services.resources.get()));
    // OIDC Core §5.3.2: `sub` is always returned, and is the ID token's (both are the subject id).
    return jsonResponse({ sub: claims.sub, ...released }, noStore);
  };
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
const bearerCredentials = /^bearer(?: +(.*))?$/i;
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;
const formType = 'application/x-www-form-urlencoded';

// RFC 6750 §3.1: a request with no authentication at all gets a challenge without an error code.
const noToken = () =>
  new OAuthError('invalid_token', 'no access token was presented', { headers: { 'www-authenticate': 'Bearer realm="idproo"' } });

/**
 * The one bearer token of the request, from the Authorization header (RFC 6750 §2.1) or, on POST, a
 * form body (§2.2). §2: a client uses exactly one method; the query string (§2.3) is refused, since a
 * URL ends up in logs and Referer headers (§5.3; OAuth 2.1 drops that method).
 */
async function presentedBearerToken(request: EndpointRequest): Promise<string> {
  if (request.readQuery().some(([name]) => name === 'access_token')) {
    throw new OAuthError('invalid_request', 'the access token must not be sent in the query string; use the Authorization header');
  }
  const fromHeader = bearerFromHeader(request.header('authorization'));
  const fromBody = request.method === 'POST' && isForm(request.header('content-type')) ? parseParameters(await request.readForm(), parameters).access_token : undefined;
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw new OAuthError('invalid_request', 'the access token was sent both in the Authorization header and in the body (RFC 6750 §2)');
  }
  const token = fromHeader ?? fromBody;
  if (token === undefined) throw noToken();
  return token;
}

/** The token of a Bearer Authorization header; undefined for none or another scheme (RFC 9110 §11.1: case-insensitive). */
function bearerFromHeader(header: string | undefined): string | undefined {
  const match = header === undefined ? null : bearerCredentials.exec(header);
  if (!match) return undefined;
  const token = match[1];
  if (token === undefined || !b64token.test(token)) throw new OAuthError('invalid_request', 'the Bearer credentials are malformed (RFC 6750 §2.1)');
  return token;
}

/** RFC 6750 §2.2: the body is read only when it is form-encoded; any other body is not a way of sending the token. */
function isForm(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === formType;
}

/**
 * RFC 6750 §3.1: a token that is not live is `invalid_token` (401); a live token that cannot read UserInfo
 * is `insufficient_scope` (403): one issued to a client on its own (only a user's token carries
 * `auth_time`), or one not granted `openid` (OIDC Core §5.3).
 */
async function authorizedClaims(token: string, services: Deps): Promise<AccessTokenClaims> {
  const resolved = await resolveAccessToken(token, services);
  if (!resolved) throw new OAuthError('invalid_token', 'the access token is invalid, expired or revoked');
  const { claims } = resolved;
  if (claims['auth_time'] === undefined) throw new OAuthError('insufficient_scope', 'the access token was not issued for a user');
  if (!claims.scope.split(' ').includes(openidScope)) throw new OAuthError('insufficient_scope', 'the access token was not granted the openid scope');
  return claims;
}

/** A token outlives neither its user nor the user's enablement. */
async function activeUser(subjectId: string, services: Deps): Promise<User> {
  const user = await services.stores.users.findUserBySubjectId(subjectId);
  if (!user?.enabled) throw new OAuthError('invalid_token', 'the access token is invalid, expired or revoked', { detail: `subject ${subjectId} unknown or disabled` });
  return user;
}
