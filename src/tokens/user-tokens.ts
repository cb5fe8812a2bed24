import type { Services } from '../provider/services.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { Client, User } from '../stores/types.ts';
import { identityClaimTypes, userClaims } from '../users/claims.ts';
import { resolveAudience } from '../validation/resource-indicators.ts';
import { issueAccessToken } from './access-token.ts';
import { issueIdToken } from './id-token.ts';
import { accessTokenClaimTypes, issueRefreshToken } from './refresh-token.ts';

/** OIDC Core §3.1.2.1: the scope that makes a request an OpenID Connect one, and earns an ID token. */
export const openidScope = 'openid';
/** OIDC Core §11: the scope that asks for a refresh token. */
export const offlineAccessScope = 'offline_access';

/** What the tokens for a user stem from: one sign-in, its session and what was granted in it. */
export interface UserTokenRequest {
  readonly client: Client;
  /** The grant issuing them, for the `token.issued` event. */
  readonly grantType: string;
  /** Checked by the caller to exist and be enabled. */
  readonly user: User;
  /** The session's `sid`. */
  readonly sessionId: string;
  /** Epoch seconds of the sign-in (`auth_time`). */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr?: string | undefined;
  /** Echoed in the ID token (OIDC Core §3.1.3.6); only the code grant has one. */
  readonly nonce?: string | undefined;
  /** Every granted scope: identity scopes, API scopes and `offline_access`, as consented. */
  readonly scopes: readonly string[];
  /** RFC 8707 resource indicators the grant was given for; they narrow the access token's audience. */
  readonly resources?: readonly string[] | undefined;
  /** The token family (PersistedGrant.familyId) everything issued here joins. */
  readonly familyId: string;
  /** The access token's `jti`, when chosen in advance (the code records it so a replay can revoke the token). */
  readonly accessTokenJti?: string | undefined;
  /**
   * A refresh token the caller already holds for this response (the refresh grant's rotated successor, or
   * the same token under ReUse). Without it, a new one is issued when offline access is granted.
   */
  readonly refreshToken?: string | undefined;
}

/** RFC 6749 §5.1 and OIDC Core §3.1.3.3 members of a token response for a user (a grant's TokenResponse). */
export type UserTokenResponse = {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
};

/** RFC 6749 §1.5, OIDC Core §11: a refresh token only for `offline_access`, and only to a client allowed offline access. */
export const grantsOfflineAccess = (client: Client, scopes: readonly string[]): boolean =>
  client.allowOfflineAccess && scopes.includes(offlineAccessScope);

/** The granted scopes that still mean something: enabled identity and API scopes, and `offline_access` if it is honoured. */
function knownScopes(request: UserTokenRequest, index: ResourceIndex, offline: boolean): string[] {
  return [...new Set(request.scopes)].filter((scope) =>
    scope === offlineAccessScope ? offline : index.identityScopes.has(scope) || index.apiScopes.has(scope),
  );
}

/**
 * Issues the tokens of a user's grant, the same for the authorization code and the refresh token grant:
 * an access token for the API scopes (audience and signing algorithm from their resources, RFC 8707
 * narrowing included) that also lists the identity scopes, so the UserInfo endpoint can tell what it may
 * release (OIDC Core §5.3); an ID token when `openid` was granted (OIDC Core §3.1.3.3), with the user's
 * claims only if the client always wants them, since with an access token they come from UserInfo
 * (OIDC Core §5.4); and a refresh token (see `refreshToken`). `scope` in the response is the access
 * token's (RFC 6749 §5.1).
 */
export async function issueUserTokens(
  request: UserTokenRequest,
  deps: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'events' | 'resources'>,
): Promise<UserTokenResponse> {
  const { client, user } = request;
  const index = await deps.resources.get();
  const offline = request.refreshToken !== undefined || grantsOfflineAccess(client, request.scopes);
  const granted = knownScopes(request, index, offline);
  const identityScopes = granted.filter((scope) => index.identityScopes.has(scope));
  const audience = resolveAudience(
    granted.filter((scope) => index.apiScopes.has(scope)),
    request.resources ?? [],
    index,
    deps.keys.algorithms,
  );
  const inToken = new Set([...identityScopes, ...audience.scopes, ...(offline ? [offlineAccessScope] : [])]);
  const accessToken = await issueAccessToken(
    {
      client,
      grantType: request.grantType,
      subjectId: user.subjectId,
      scopes: granted.filter((scope) => inToken.has(scope)),
      resources: audience.resources,
      signingAlgorithm: audience.signingAlgorithm,
      authTime: request.authTime,
      sessionId: request.sessionId,
      userClaims: userClaims(user, accessTokenClaimTypes(audience.scopes, audience.resources, index)),
      jti: request.accessTokenJti,
      familyId: request.familyId,
    },
    deps,
  );

  const idToken = identityScopes.includes(openidScope)
    ? await issueIdToken(
        {
          client,
          subjectId: user.subjectId,
          sessionId: request.sessionId,
          authTime: request.authTime,
          amr: request.amr,
          acr: request.acr,
          nonce: request.nonce,
          accessToken: accessToken.accessToken,
          ...(client.alwaysIncludeUserClaimsInIdToken ? { claims: userClaims(user, identityClaimTypes(identityScopes, index)) } : {}),
        },
        deps,
      )
    : undefined;
  const refreshToken = !offline
    ? undefined
    : (request.refreshToken ??
      (await issueRefreshToken(
        {
          client,
          subjectId: user.subjectId,
          sessionId: request.sessionId,
          scopes: granted,
          ...(request.resources === undefined ? {} : { resources: request.resources }),
          authTime: request.authTime,
          amr: request.amr,
          ...(request.acr === undefined ? {} : { acr: request.acr }),
          familyId: request.familyId,
          accessTokenJti: accessToken.jti,
          accessTokenExpiresAt: accessToken.expiresAt,
        },
        deps,
      )));
  return {
    access_token: accessToken.accessToken,
    token_type: 'Bearer',
    expires_in: accessToken.expiresIn,
    scope: accessToken.scope,
    ...(idToken === undefined ? {} : { id_token: idToken }),
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  };
}
