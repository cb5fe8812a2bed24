import type { RequestParameters } from '../endpoints/request-parameters.ts';
import { requireParameter } from '../endpoints/request-parameters.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { ApiResource, Client, User } from '../stores/types.ts';
import { issueAccessToken, type IssuedAccessToken } from '../tokens/access-token.ts';
import { revokeFamily } from '../tokens/family.ts';
import { issueIdToken } from '../tokens/id-token.ts';
import {
  accessTokenClaimTypes,
  accessTokenRecordGrantType,
  asRefreshToken,
  findRefreshToken,
  refreshTokenExpiry,
  refreshTokenGrant,
  refreshTokenGrantType,
  type IssuedWithRefreshToken,
  type RefreshTokenData,
  type StoredRefreshToken,
} from '../tokens/refresh-token.ts';
import { identityClaimTypes, userClaims } from '../users/claims.ts';
import { epochSeconds, type Clock } from '../util/clock.ts';
import { handleKey, randomHandle } from '../util/crypto.ts';
import { isScopeList } from '../util/syntax.ts';
import { resolveAudience, type Audience } from '../validation/resource-indicators.ts';
import type { GrantHandler, TokenResponse } from './types.ts';

// RFC 6749 §6 (refresh_token, scope) and RFC 8707 §2 (resource, which may repeat).
const parameters = { refresh_token: 'single', scope: 'single', resource: 'repeatable' } as const;

type Deps = Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'resources' | 'events' | 'deriveHandle'>;

/** The purpose under which a rotated refresh token's successor is derived from it (Services.deriveHandle). */
const successorPurpose = 'refresh-token-successor';

/** A refresh request that passed every check: generators take nothing else. */
interface ValidatedRefreshRequest {
  readonly client: Client;
  /** The refresh token as presented, and as stored. */
  readonly presented: string;
  readonly token: StoredRefreshToken;
  readonly user: User;
  /** The granted scopes this request asks for (all of them unless narrowed, RFC 6749 §6). */
  readonly scopes: readonly string[];
  readonly audience: Audience;
  readonly userClaims: Readonly<Record<string, unknown>>;
  readonly index: ResourceIndex;
  readonly now: number;
}

// RFC 6749 §5.2: one description for every refresh token that cannot be used, so a caller learns
// nothing about tokens that are not its own; the log gets the reason.
const invalidRefreshToken = (detail: string) => new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked', { detail });

/**
 * RFC 6749 §6 and OIDC Core §12: a client exchanges a refresh token for a new access token (and, with
 * `openid`, a new ID token). One-time refresh tokens are rotated atomically; a rotated token presented
 * again is a reuse that revokes its whole family (RFC 9700 §4.14.2), except within the client's grace
 * window, where the retry gets the same successor pair (docs/decisions/0009-refresh-token-grace-window.md).
 */
export function createRefreshTokenGrant(deps: Deps): GrantHandler<typeof parameters> {
  return {
    grantType: refreshTokenGrantType,
    parameters,
    async handle({ client, params }) {
      const startedAt = deps.clock.now();
      const presented = requireParameter(params.refresh_token, 'refresh_token');
      const found = await findOwnRefreshToken(client, presented, deps);
      // A rotated token: a retry within the grace window, a concurrent request, or a reuse.
      if (found.grant.consumedAt !== undefined) return answerConsumed(client, presented, found, startedAt, deps);
      const request = await validate(client, presented, found, params, deps);
      const rotates = request.client.refreshTokenUsage === 'OneTimeOnly' || !request.client.requireClientSecret;
      return rotates ? rotate(request, startedAt, deps) : reuse(request, deps);
    },
  };
}

/** The stored refresh token, if it is one this client may use (RFC 6749 §10.4: bound to its client). */
async function findOwnRefreshToken(client: Client, presented: string, deps: Deps): Promise<StoredRefreshToken> {
  // RFC 9700 §2.2.2 / OIDC Core §11: only clients allowed offline access use refresh tokens.
  if (!client.allowOfflineAccess) throw new OAuthError('unauthorized_client', 'the client is not allowed refresh tokens (allowOfflineAccess)');
  const token = await findRefreshToken(presented, deps);
  if (!token) throw invalidRefreshToken('no refresh token under this handle');
  // RFC 6749 §6: the token must have been issued to the authenticated client; another client's is not revoked.
  if (token.grant.clientId !== client.clientId) throw invalidRefreshToken(`the refresh token belongs to the client ${token.grant.clientId}`);
  return token;
}

async function validate(client: Client, presented: string, token: StoredRefreshToken, params: RequestParameters<typeof parameters>, deps: Deps): Promise<ValidatedRefreshRequest> {
  const now = deps.clock.now();
  if (token.data.expiresAt <= now || token.grant.expiresAt <= now) throw invalidRefreshToken('the refresh token expired');
  const user = await activeUser(token, deps);
  const scopes = narrowScopes(params.scope, token.data.scopes);
  const index = await deps.resources.get();
  const audience = resolveAudience(scopes, narrowResources(params.resource, token.data.resources), index, deps.keys.algorithms);
  const types = accessTokenClaimTypes(audience.scopes, audience.resources, index);
  // Duende's UpdateAccessTokenClaimsOnRefresh: the user's claims now, else those recorded at sign-in.
  const claims = client.updateAccessTokenClaimsOnRefresh ? userClaims(user, types) : pick(token.data.userClaims, types);
  return { client, presented, token, user, scopes, audience, userClaims: claims, index, now };
}

/** The user must still exist and be enabled (Duende's IsActive check on refresh). */
async function activeUser(token: StoredRefreshToken, deps: Deps): Promise<User> {
  const user = await deps.stores.users.findUserBySubjectId(token.grant.subjectId);
  if (!user?.enabled) throw new OAuthError('invalid_grant', 'the user of the refresh token is no longer active', { detail: `subject ${token.grant.subjectId} is ${user ? 'disabled' : 'unknown'}` });
  return user;
}

/** RFC 6749 §6: `scope` may name fewer of the originally granted scopes, never others (`invalid_scope`). */
function narrowScopes(scope: string | undefined, granted: readonly string[]): readonly string[] {
  if (scope === undefined) return granted;
  if (!isScopeList(scope)) throw new OAuthError('invalid_scope', 'the scope parameter is not a space-separated list of scope names (RFC 6749 §3.3)');
  const requested = [...new Set(scope.split(' '))];
  const extra = requested.find((name) => !granted.includes(name));
  if (extra !== undefined) throw new OAuthError('invalid_scope', `the scope ${extra} was not granted to this refresh token (RFC 6749 §6)`);
  return requested;
}

/**
 * RFC 8707 §2.2: a refresh may name resources to narrow the token to, each among those of the original
 * authorization when it named any (else `invalid_target`); without any, those of the authorization.
 */
function narrowResources(requested: readonly string[], granted: readonly string[]): readonly string[] {
  if (requested.length === 0) return granted;
  const extra = granted.length === 0 ? undefined : requested.find((resource) => !granted.includes(resource));
  if (extra !== undefined) throw new OAuthError('invalid_target', `the resource ${extra} was not part of the authorization of this refresh token`);
  return requested;
}

const pick = (claims: Readonly<Record<string, unknown>>, types: ReadonlySet<string>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(claims).filter(([type]) => types.has(type)));

const fixedClock = (ms: number): Clock => ({ now: () => ms });

/** The access token a validated request gets, as recorded so it can be issued again exactly. */
const accessTokenOf = (request: ValidatedRefreshRequest): IssuedWithRefreshToken => ({
  issuedAt: request.now,
  scopes: request.audience.scopes,
  resources: request.audience.resources.map((r) => r.name),
  signingAlgorithm: request.audience.signingAlgorithm,
  userClaims: request.userClaims,
  requestedScopes: request.scopes,
});

/**
 * OneTimeOnly (and every public client, RFC 9700 §4.14.2): consume the token and store its successor in
 * one atomic step. The successor's handle is derived from the token, and its record holds the access
 * token issued with it, so a retry within the grace window can answer the same pair.
 */
async function rotate(request: ValidatedRefreshRequest, startedAt: number, deps: Deps): Promise<TokenResponse> {
  const { client, token, now } = request;
  const issuedWith = accessTokenOf(request);
  const jti = randomHandle(16);
  const data: RefreshTokenData = {
    ...token.data,
    expiresAt: refreshTokenExpiry(client, token.data.familyStartedAt, now),
    accessTokenJti: jti,
    // As issueAccessToken computes `exp`, to the second.
    accessTokenExpiresAt: (epochSeconds(now) + client.accessTokenLifetime) * 1000,
    accessToken: issuedWith,
  };
  const successorHandle = deps.deriveHandle(successorPurpose, request.presented);
  const successor = refreshTokenGrant(successorHandle, client, token.grant, data, now);
  const result = await deps.stores.grants.rotateGrant(token.grant.key, successor, now);
  switch (result.outcome) {
    case 'consumed':
      return respond(client, request.user, asRefreshToken(successor)!, successorHandle, data, request.index, deps);
    case 'replayed':
      // A concurrent refresh with the same token won the rotation.
      return answerConsumed(client, request.presented, asRefreshToken(result.grant) ?? token, startedAt, deps);
    default:
      throw invalidRefreshToken(`the refresh token was ${result.outcome === 'expired' ? 'expired' : 'removed'} when it was rotated`);
  }
}

/**
 * ReUse (confidential clients only): the same refresh token again. A JWT access token issued now is
 * recorded in the family first, so revoking the family revokes it too. A Sliding token's end moves to
 * `slidingRefreshTokenLifetime` from now (never past the family's absolute end).
 */
async function reuse(request: ValidatedRefreshRequest, deps: Deps): Promise<TokenResponse> {
  const { client, token, now } = request;
  if (client.refreshTokenExpiration === 'Sliding') {
    const data: RefreshTokenData = { ...token.data, expiresAt: refreshTokenExpiry(client, token.data.familyStartedAt, now) };
    if (!(await deps.stores.grants.updateGrantData(token.grant.key, JSON.stringify(data), now))) throw invalidRefreshToken('the refresh token was revoked or rotated during the refresh');
  }
  const jti = randomHandle(16);
  if (client.accessTokenType === 'jwt') {
    const expiresAt = (epochSeconds(now) + client.accessTokenLifetime) * 1000;
    await deps.stores.grants.storeGrant({
      key: handleKey(`${accessTokenRecordGrantType}:${jti}`),
      type: accessTokenRecordGrantType,
      clientId: client.clientId,
      subjectId: token.grant.subjectId,
      sessionId: token.grant.sessionId,
      familyId: token.grant.familyId,
      createdAt: now,
      expiresAt,
      data: JSON.stringify({ accessTokenJti: jti, accessTokenExpiresAt: expiresAt }),
    });
  }
  return respond(client, request.user, token, request.presented, { ...token.data, accessTokenJti: jti, accessToken: accessTokenOf(request) }, request.index, deps);
}

/**
 * A rotated token presented again (`startedAt`: when this request began). Within the client's grace
 * window after the rotation, and while the successor is unused, the answer is that same successor pair:
 * a lost response or a second tab, not a new branch of the family. Otherwise, if the rotation happened
 * while this request was under way, the request merely lost a race: it is refused, and not taken as
 * evidence of theft. A token presented after its rotation is a reuse (RFC 9700 §4.14.2): the whole
 * family is revoked.
 */
async function answerConsumed(client: Client, presented: string, token: StoredRefreshToken, startedAt: number, deps: Deps): Promise<TokenResponse> {
  const now = deps.clock.now();
  const consumedAt = token.grant.consumedAt ?? now;
  if (consumedAt + client.refreshTokenGraceSeconds * 1000 > now) {
    const successorHandle = deps.deriveHandle(successorPurpose, presented);
    const successor = asRefreshToken(await deps.stores.grants.getGrant(handleKey(successorHandle)));
    if (
      successor &&
      successor.grant.familyId === token.grant.familyId &&
      successor.grant.consumedAt === undefined &&
      successor.data.expiresAt > now &&
      successor.data.accessToken !== undefined
    ) {
      const user = await activeUser(successor, deps);
      deps.events.emit({ type: 'refresh_token.grace_replayed', clientId: client.clientId, familyId: token.grant.familyId });
      return respond(client, user, successor, successorHandle, successor.data, await deps.resources.get(), deps);
    }
  }
  if (consumedAt >= startedAt) {
    deps.events.emit({ type: 'refresh_token.reused', clientId: client.clientId, familyId: token.grant.familyId, revoked: 0 });
    throw new OAuthError('invalid_grant', 'the refresh token was used by a concurrent request', { detail: `family ${token.grant.familyId}, not revoked` });
  }
  const revoked = await revokeFamily(token.grant.familyId, deps);
  deps.events.emit({ type: 'refresh_token.reused', clientId: client.clientId, familyId: token.grant.familyId, revoked });
  throw new OAuthError('invalid_grant', 'the refresh token was already used; its grant is revoked', { detail: `family ${token.grant.familyId}, ${revoked} grants removed` });
}

/**
 * Issues the access token `data.accessToken` describes (exactly: same jti and times, so a replay re-signs
 * the same claims) and, when it names `openid`, an ID token (OIDC Core §12.2: same iss, sub, aud and
 * auth_time as at sign-in, no nonce); then answers with `refreshToken`. `anchor` is the refresh token
 * the family lives on: if it was revoked meanwhile, the access token just issued is revoked too.
 */
async function respond(
  client: Client,
  user: User,
  anchor: StoredRefreshToken,
  refreshToken: string,
  data: RefreshTokenData,
  index: ResourceIndex,
  deps: Deps,
): Promise<TokenResponse> {
  const issued = data.accessToken!;
  const resources = issued.resources.map((name) => index.apiResources.get(name)).filter((r): r is ApiResource => r !== undefined);
  const accessToken = await issueAccessToken(
    {
      client,
      grantType: refreshTokenGrantType,
      subjectId: anchor.grant.subjectId,
      scopes: issued.scopes,
      resources,
      signingAlgorithm: issued.signingAlgorithm,
      authTime: data.authTime,
      sessionId: anchor.grant.sessionId,
      userClaims: issued.userClaims,
      jti: data.accessTokenJti,
      familyId: anchor.grant.familyId,
    },
    { ...deps, clock: fixedClock(issued.issuedAt) },
  );
  await ensureFamilyLives(client, anchor, accessToken, deps);
  const response: TokenResponse = {
    access_token: accessToken.accessToken,
    token_type: 'Bearer',
    // What is left of its lifetime: a replay within the grace window answers a token issued earlier.
    expires_in: Math.ceil((accessToken.expiresAt - deps.clock.now()) / 1000),
    scope: accessToken.scope,
    refresh_token: refreshToken,
  };
  if (!issued.requestedScopes.includes('openid')) return response;
  const claims = client.alwaysIncludeUserClaimsInIdToken ? userClaims(user, identityClaimTypes(issued.requestedScopes, index)) : {};
  const idToken = await issueIdToken(
    {
      client,
      subjectId: anchor.grant.subjectId,
      sessionId: anchor.grant.sessionId,
      authTime: data.authTime,
      amr: data.amr,
      acr: data.acr,
      accessToken: accessToken.accessToken,
      claims,
    },
    deps,
  );
  return { ...response, id_token: idToken };
}

/**
 * A reuse elsewhere may revoke the family while this request issues: a reference token stored after
 * the revocation removed the family, or a JWT whose record it missed, would outlive it. So the anchor
 * is read once more after issuing; if it is gone, so is the token just issued.
 */
async function ensureFamilyLives(client: Client, anchor: StoredRefreshToken, accessToken: IssuedAccessToken, deps: Deps): Promise<void> {
  if (await deps.stores.grants.getGrant(anchor.grant.key)) return;
  if (client.accessTokenType === 'reference') await deps.stores.grants.removeGrant(handleKey(accessToken.accessToken));
  else await deps.stores.revocations.revokeToken(accessToken.jti, accessToken.expiresAt);
  throw invalidRefreshToken('the family was revoked while the tokens were issued');
}
