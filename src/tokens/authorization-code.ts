import type { Client, GrantStore } from '../stores/types.ts';
import { handleKey, randomHandle } from '../util/crypto.ts';

export const authorizationCodeGrantType = 'authorization_code';

/** What an authorization code stands for, kept on the server under the code's hash (RFC 6749 §4.1.2). */
export interface AuthorizationCodeData {
  readonly clientId: string;
  /** As the authorization request sent it; the token request must repeat it exactly (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  /** RFC 7636 §4.3; absent only for a client that does not require PKCE and sent none. */
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
  /** Granted scopes, consented ones only. */
  readonly scopes: readonly string[];
  /** RFC 8707 resource indicators sent with the authorization request. */
  readonly resources?: readonly string[];
  readonly nonce?: string;
  readonly subjectId: string;
  /** The session's `sid`. */
  readonly sessionId: string;
  /** Epoch seconds of the sign-in (`auth_time`). */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr?: string;
  /**
   * The `jti` the access token issued at redemption gets, chosen now: a replayed code must revoke that
   * token (RFC 6749 §4.1.2), and with the jti on the code that needs no write at redemption.
   */
  readonly accessTokenJti: string;
}

/**
 * The store key of a code: the hash of the code with its kind in front. Codes, refresh tokens and
 * reference tokens share the grant store, and a single-use consume spends whatever it finds; with its own
 * key space a refresh or reference token sent as a code finds nothing, and is not spent by the mistake.
 */
export const authorizationCodeKey = (code: string): string => handleKey(`code.${code}`);

/** Stores a new code for `data`, opening a token family (PersistedGrant.familyId); returns the code. */
export async function storeAuthorizationCode(data: AuthorizationCodeData, client: Client, now: number, grants: GrantStore): Promise<string> {
  const code = randomHandle(32);
  await grants.storeGrant({
    key: authorizationCodeKey(code),
    type: authorizationCodeGrantType,
    clientId: client.clientId,
    subjectId: data.subjectId,
    sessionId: data.sessionId,
    familyId: randomHandle(16),
    createdAt: now,
    expiresAt: now + client.authorizationCodeLifetime * 1000,
    data: JSON.stringify(data),
  });
  return code;
}
