import type { SigningAlgorithm } from '../config/schema.ts';
import type { Services } from '../provider/services.ts';
import type { ApiResource, Client } from '../stores/types.ts';
import { epochSeconds } from '../util/clock.ts';
import { randomHandle } from '../util/crypto.ts';
import { accessTokenJwtType, type AccessTokenClaims } from './access-token-claims.ts';
import { signJwt } from './formats/jwt.ts';
import { storeReferenceToken } from './formats/reference.ts';

export interface AccessTokenRequest {
  readonly client: Client;
  /** The grant it is issued by, for the `token.issued` event. */
  readonly grantType: string;
  /** The user, when there is one; the client itself otherwise (RFC 9068 §2.2). */
  readonly subjectId?: string;
  readonly scopes: readonly string[];
  readonly resources: readonly ApiResource[];
  /** Chosen during validation (resolveAudience), so every audience accepts it. */
  readonly signingAlgorithm: SigningAlgorithm;
  /** For a user: the sign-in the token stems from (RFC 9068 §2.2.1 `auth_time`, epoch seconds) and its session (`sid`). */
  readonly authTime?: number;
  readonly sessionId?: string;
  /** The API resources' `userClaims` of the user; protocol claims always win over them. */
  readonly userClaims?: Readonly<Record<string, unknown>>;
  /** A `jti` chosen in advance (a code or refresh token records it, so a replay can revoke the token); random otherwise. */
  readonly jti?: string;
  /** The token family a reference token joins, so revoking the family removes it (RFC 7009 §2.1). */
  readonly familyId?: string;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly scope: string;
  readonly jti: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * RFC 9068 §2.2 requires an audience; a token whose scopes belong to no API resource gets Duende's
 * static audience `{issuer}/resources` rather than none.
 */
const audienceOf = (resources: readonly ApiResource[], issuer: string): string | string[] =>
  resources.length === 0 ? `${issuer}/resources` : resources.length === 1 ? resources[0]!.name : resources.map((r) => r.name);

/** Issues an access token in the client's format (`jwt` or `reference`); the format is a strategy, apart from the grant. */
export async function issueAccessToken(request: AccessTokenRequest, deps: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'events'>): Promise<IssuedAccessToken> {
  const now = epochSeconds(deps.clock.now());
  const lifetime = request.client.accessTokenLifetime;
  const claims: AccessTokenClaims = {
    ...request.userClaims,
    iss: deps.issuer,
    sub: request.subjectId ?? request.client.clientId,
    aud: audienceOf(request.resources, deps.issuer),
    client_id: request.client.clientId,
    scope: request.scopes.join(' '),
    jti: request.jti ?? randomHandle(16),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    ...(request.authTime === undefined ? {} : { auth_time: request.authTime }),
    ...(request.sessionId === undefined ? {} : { sid: request.sessionId }),
  };
  const format = request.client.accessTokenType;
  const accessToken =
    format === 'reference' ? await storeReferenceToken(claims, deps.stores.grants, request.familyId) : await signJwt(claims, request.signingAlgorithm, accessTokenJwtType, deps.keys);
  deps.events.emit({
    type: 'token.issued',
    clientId: claims.client_id,
    grantType: request.grantType,
    format,
    jti: claims.jti,
    scope: claims.scope,
    ...(request.subjectId === undefined ? {} : { subjectId: request.subjectId }),
  });
  return { accessToken, expiresIn: lifetime, scope: claims.scope, jti: claims.jti, expiresAt: claims.exp * 1000 };
}
