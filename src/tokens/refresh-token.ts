import type { SigningAlgorithm } from '../config/schema.ts';
import type { Services } from '../provider/services.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { ApiResource, Client, PersistedGrant, User } from '../stores/types.ts';
import { userClaims } from '../users/claims.ts';
import { epochSeconds } from '../util/clock.ts';
import { handleKey, randomHandle } from '../util/crypto.ts';
import type { IssuedAccessTokenRecord } from './family.ts';

export const refreshTokenGrantType = 'refresh_token';

/**
 * What a JWT access token issued by a refresh without rotation (ReUse) leaves in its family: only its
 * jti and expiry, so revoking the family puts it on the revocation list (RFC 7009 §2.1, tokens/family.ts).
 */
export const accessTokenRecordGrantType = 'access_token_record';

/**
 * The access token issued with a rotated refresh token, as it was issued: a retry within the grace window
 * re-issues exactly these claims (same jti, iat, exp) rather than a new branch of the family
 * (docs/decisions/0009-refresh-token-grace-window.md).
 */
export interface IssuedWithRefreshToken {
  /** Epoch ms the access token was issued at (its `iat`, to the second). */
  readonly issuedAt: number;
  readonly scopes: readonly string[];
  /** Names of the API resources of its audience. */
  readonly resources: readonly string[];
  readonly signingAlgorithm: SigningAlgorithm;
  readonly userClaims: Readonly<Record<string, unknown>>;
  /** The granted scopes the request asked for; with `openid` an ID token went with it (OIDC Core §12.2). */
  readonly requestedScopes: readonly string[];
}

/** The payload of a refresh token grant (PersistedGrant.data). */
export interface RefreshTokenData extends IssuedAccessTokenRecord {
  /** Epoch ms of the family's first refresh token: Absolute lifetimes count from here. */
  readonly familyStartedAt: number;
  /**
   * Epoch ms after which this token is refused. The grant's own `expiresAt` is the family's end instead,
   * so a rotated token stays in the store as long as its family could be used and a late reuse is still
   * recognised and revokes the family (RFC 9700 §4.14.2).
   */
  readonly expiresAt: number;
  /** The scopes the user granted; a refresh may narrow them, never widen (RFC 6749 §6). */
  readonly scopes: readonly string[];
  /** RFC 8707 resource indicators of the authorization; empty when none were sent. */
  readonly resources: readonly string[];
  /** Epoch seconds of the sign-in (`auth_time`; OIDC Core §12.2 keeps it on refreshed ID tokens). */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr?: string;
  /** The user's claims for access tokens as at sign-in, used unless the client updates them on refresh. */
  readonly userClaims: Readonly<Record<string, unknown>>;
  readonly accessTokenJti: string;
  readonly accessTokenExpiresAt: number;
  /** Present on a token made by rotation: the access token issued with it. */
  readonly accessToken?: IssuedWithRefreshToken;
}

/** A live refresh token as the store holds it, with its data parsed. */
export interface StoredRefreshToken {
  readonly grant: PersistedGrant & { readonly familyId: string; readonly subjectId: string; readonly sessionId: string };
  readonly data: RefreshTokenData;
}

/** Epoch ms at which a family that started at `startedAt` ends, whatever its usage. */
export const familyEnd = (client: Client, startedAt: number): number => startedAt + client.absoluteRefreshTokenLifetime * 1000;

/** Epoch ms a refresh token issued at `now` in a family started at `startedAt` is refused after. */
export function refreshTokenExpiry(client: Client, startedAt: number, now: number): number {
  const end = familyEnd(client, startedAt);
  return client.refreshTokenExpiration === 'Sliding' ? Math.min(now + client.slidingRefreshTokenLifetime * 1000, end) : end;
}

/**
 * The claim types an access token carries for a user: the `userClaims` of its API resources and of its
 * API scopes (Duende's rule).
 */
export function accessTokenClaimTypes(scopes: readonly string[], resources: readonly ApiResource[], index: ResourceIndex): Set<string> {
  const types = new Set<string>();
  for (const resource of resources) for (const type of resource.userClaims) types.add(type);
  for (const scope of scopes) for (const type of index.apiScopes.get(scope)?.userClaims ?? []) types.add(type);
  return types;
}

/** The API resources offering any of `scopes`. */
export function resourcesOfScopes(scopes: readonly string[], index: ResourceIndex): ApiResource[] {
  const found = new Map<string, ApiResource>();
  for (const scope of scopes) for (const resource of index.resourcesForScope(scope)) found.set(resource.name, resource);
  return [...found.values()];
}

/** The grant that stores a refresh token under the hash of `handle`. */
export function refreshTokenGrant(handle: string, client: Client, ids: { familyId: string; subjectId: string; sessionId: string }, data: RefreshTokenData, now: number): PersistedGrant {
  return {
    key: handleKey(handle),
    type: refreshTokenGrantType,
    clientId: client.clientId,
    subjectId: ids.subjectId,
    sessionId: ids.sessionId,
    familyId: ids.familyId,
    createdAt: now,
    expiresAt: familyEnd(client, data.familyStartedAt),
    data: JSON.stringify(data),
  };
}

/**
 * Issues the first refresh token of a family (RFC 6749 §1.5, §6): an opaque 256-bit handle, stored only
 * as its SHA-256. It records the access token issued with it, so a reuse revokes that token too
 * (RFC 9700 §4.14.2), and the user's access-token claims as they are now.
 *
 * @example
 * const refreshToken = await issueRefreshToken({ client, subjectId, sessionId, scopes, authTime, amr, familyId, accessTokenJti: token.jti, accessTokenExpiresAt: token.expiresAt }, services);
 */
export async function issueRefreshToken(
  input: {
    client: Client;
    subjectId: string;
    sessionId: string;
    scopes: readonly string[];
    resources?: readonly string[];
    authTime: number;
    amr: readonly string[];
    acr?: string;
    familyId: string;
    accessTokenJti: string;
    accessTokenExpiresAt: number;
  },
  deps: Pick<Services, 'clock' | 'stores' | 'resources'>,
): Promise<string> {
  const { client } = input;
  if (!client.allowOfflineAccess) throw new TypeError(`the client ${client.clientId} is not allowed refresh tokens (allowOfflineAccess is false)`);
  const now = deps.clock.now();
  const user = await deps.stores.users.findUserBySubjectId(input.subjectId);
  if (!user) throw new TypeError(`no user has the subject id ${input.subjectId}`);
  const index = await deps.resources.get();
  const data: RefreshTokenData = {
    familyStartedAt: now,
    expiresAt: refreshTokenExpiry(client, now, now),
    scopes: [...input.scopes],
    resources: [...(input.resources ?? [])],
    authTime: input.authTime,
    amr: [...input.amr],
    ...(input.acr === undefined ? {} : { acr: input.acr }),
    userClaims: userClaims(user, accessTokenClaimTypes(input.scopes, resourcesOfScopes(input.scopes, index), index)),
    accessTokenJti: input.accessTokenJti,
    accessTokenExpiresAt: input.accessTokenExpiresAt,
  };
  const handle = randomHandle(32);
  await deps.stores.grants.storeGrant(refreshTokenGrant(handle, client, input, data, now));
  return handle;
}

/** The stored refresh token under `handle`, consumed or not, or undefined if there is none. Expiry is the caller's to judge. */
export async function findRefreshToken(handle: string, deps: Pick<Services, 'stores'>): Promise<StoredRefreshToken | undefined> {
  // A handle is 43 characters; anything much longer is not one of ours and is not hashed.
  if (handle.length > 512) return undefined;
  const grant = await deps.stores.grants.getGrant(handleKey(handle));
  return asRefreshToken(grant);
}

export function asRefreshToken(grant: PersistedGrant | undefined): StoredRefreshToken | undefined {
  if (!grant || grant.type !== refreshTokenGrantType || grant.familyId === undefined || grant.subjectId === undefined || grant.sessionId === undefined) return undefined;
  return { grant: grant as StoredRefreshToken['grant'], data: JSON.parse(grant.data) as RefreshTokenData };
}

/** Whether a stored refresh token can still be used at `now`: not consumed, not expired, its user present and enabled. */
export function isUsable(token: StoredRefreshToken, user: User | undefined, now: number): boolean {
  return token.grant.consumedAt === undefined && token.data.expiresAt > now && token.grant.expiresAt > now && user?.enabled === true;
}

/** RFC 7662 §2.2 members for a live refresh token, for the client it was issued to. */
export function refreshTokenIntrospection(token: StoredRefreshToken): Record<string, unknown> {
  return {
    active: true,
    token_type: 'refresh_token',
    client_id: token.grant.clientId,
    sub: token.grant.subjectId,
    scope: token.data.scopes.join(' '),
    exp: epochSeconds(token.data.expiresAt),
    iat: epochSeconds(token.grant.createdAt),
  };
}
