import { hash } from 'node:crypto';
import { requireParameter, type RequestParameters } from '../endpoints/request-parameters.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import type { Client, PersistedGrant, User } from '../stores/types.ts';
import { authorizationCodeGrantType, authorizationCodeKey, type AuthorizationCodeData } from '../tokens/authorization-code.ts';
import { revokeFamily } from '../tokens/family.ts';
import { issueUserTokens } from '../tokens/user-tokens.ts';
import { constantTimeEqual } from '../util/crypto.ts';
import type { GrantHandler } from './types.ts';

// RFC 6749 §4.1.3 (code, redirect_uri) and RFC 7636 §4.5 (code_verifier).
const parameters = { code: 'single', redirect_uri: 'single', code_verifier: 'single' } as const;

type Deps = Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'resources' | 'events'>;

interface CodeRequest {
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier: string | undefined;
}

/** A code that was consumed by this request, with what it stands for. */
interface RedeemedCode {
  readonly grant: PersistedGrant & { readonly familyId: string };
  readonly data: AuthorizationCodeData;
}

/**
 * RFC 6749 §4.1.3, RFC 7636 §4.6 and OIDC Core §3.1.3: a client exchanges an authorization code for the
 * user's tokens. parse → consume the code (one atomic step) → check it is this client's, for this
 * redirect_uri, with this PKCE verifier, for a user still active → issue.
 */
export function createAuthorizationCodeGrant(deps: Deps): GrantHandler<typeof parameters> {
  return {
    grantType: authorizationCodeGrantType,
    parameters,
    async handle({ client, params }) {
      const request = parseCodeRequest(params);
      const { grant, data } = await redeemCode(request.code, client, deps);
      checkRedirectUri(data, request.redirectUri);
      checkPkce(data, request.codeVerifier, client);
      const user = await activeUser(data.subjectId, deps);
      return issueUserTokens(
        {
          client,
          grantType: authorizationCodeGrantType,
          user,
          sessionId: data.sessionId,
          authTime: data.authTime,
          amr: data.amr,
          acr: data.acr,
          nonce: data.nonce,
          scopes: data.scopes,
          resources: data.resources,
          familyId: grant.familyId,
          accessTokenJti: data.accessTokenJti,
        },
        deps,
      );
    },
  };
}

// RFC 7636 §4.1: code-verifier = 43*128unreserved.
const verifierSyntax = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Syntax only, before the code is touched: a malformed request does not spend it. */
function parseCodeRequest(params: RequestParameters<typeof parameters>): CodeRequest {
  const code = requireParameter(params.code, 'code');
  // OIDC Core §3.1.3.1: the authorization request always carries redirect_uri, so the token request must repeat it.
  const redirectUri = requireParameter(params.redirect_uri, 'redirect_uri');
  const codeVerifier = params.code_verifier;
  if (codeVerifier !== undefined && !verifierSyntax.test(codeVerifier)) {
    throw new OAuthError('invalid_request', 'the code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~" (RFC 7636 §4.1)');
  }
  return { code, redirectUri, codeVerifier };
}

// RFC 6749 §10.5: a client learns nothing about a code that is not its own, nor why a code failed.
const unusableCode = (detail: string) => new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used', { detail });

/**
 * Consumes the code: of concurrent redemptions exactly one wins (the store's consume is one atomic step).
 * A code used twice is refused and what it issued is revoked (RFC 6749 §4.1.2). The code is spent even
 * when a later check fails, so a stolen code cannot be tried against several verifiers.
 */
async function redeemCode(code: string, client: Client, deps: Deps): Promise<RedeemedCode> {
  const result = await deps.stores.grants.consumeGrant(authorizationCodeKey(code), deps.clock.now());
  if (result.outcome === 'unknown') throw unusableCode('unknown code');
  const { grant } = result;
  if (grant.type !== authorizationCodeGrantType) throw unusableCode(`a ${grant.type} grant was presented as a code`);
  if (result.outcome === 'replayed') {
    // OAuth 2.1 §7.5.2: only the code's own client revokes what it issued, so another client that sees a
    // used code (in a log, a Referer) cannot end the user's tokens with it.
    if (grant.clientId === client.clientId) await revokeReplayed(grant, deps);
    throw unusableCode(`code replayed by ${client.clientId}`);
  }
  if (result.outcome === 'expired') throw unusableCode('expired code');
  const data = readCodeData(grant);
  if (grant.clientId !== client.clientId || data.clientId !== client.clientId) throw unusableCode(`code of ${grant.clientId} presented by ${client.clientId}`);
  if (grant.familyId === undefined) throw new Error(`authorization code grant without a family for client ${grant.clientId}`);
  return { grant: { ...grant, familyId: grant.familyId }, data };
}

// The access token is signed a moment after the code is consumed: its exp can pass consumedAt + lifetime by that much.
const issueMarginMs = 60_000;

/**
 * RFC 6749 §4.1.2: a code used twice SHOULD revoke the tokens issued from it. The JWT access token has the
 * jti the code recorded; the family holds the reference access token and refresh tokens. Both are revoked
 * even if the first redemption is still issuing: the jti is revoked before the token exists.
 */
async function revokeReplayed(grant: PersistedGrant, deps: Deps): Promise<void> {
  const data = readCodeData(grant);
  // A client that no longer exists has no live tokens (resolveAccessToken refuses them).
  const owner = await deps.stores.clients.findClientById(grant.clientId);
  const until = (grant.consumedAt ?? deps.clock.now()) + (owner?.accessTokenLifetime ?? 0) * 1000 + issueMarginMs;
  if (owner && until > deps.clock.now()) await deps.stores.revocations.revokeToken(data.accessTokenJti, until);
  const revoked = grant.familyId === undefined ? 0 : await revokeFamily(grant.familyId, deps);
  deps.events.emit({ type: 'authorization_code.replayed', clientId: grant.clientId, familyId: grant.familyId ?? '', revoked });
}

/** RFC 6749 §4.1.3: redirect_uri must be identical to the authorization request's (simple string comparison, RFC 3986 §6.2.1). */
function checkRedirectUri(data: AuthorizationCodeData, redirectUri: string): void {
  if (redirectUri !== data.redirectUri) {
    throw new OAuthError('invalid_grant', 'the redirect_uri is not the one the authorization request used', { detail: `expected ${data.redirectUri}` });
  }
}

/**
 * RFC 7636 §4.6: the verifier must match the challenge stored with the code, S256 being
 * BASE64URL(SHA256(ASCII(code_verifier))), compared in constant time; `plain` only for a code requested
 * with it, by a client still allowed it. A verifier for a code requested without a challenge is a PKCE
 * downgrade (RFC 9700 §2.1.1, §4.8.2). A public client must have used PKCE (RFC 9700 §2.1.1).
 */
function checkPkce(data: AuthorizationCodeData, verifier: string | undefined, client: Client): void {
  if (data.codeChallenge === undefined) {
    if (verifier !== undefined) throw new OAuthError('invalid_grant', 'a code_verifier was sent, but the authorization request had no code_challenge');
    if (client.requirePkce || !client.requireClientSecret) throw new OAuthError('invalid_grant', 'the authorization request was made without PKCE, which this client must use');
    return;
  }
  if (verifier === undefined) throw new OAuthError('invalid_grant', 'the code_verifier is missing; the authorization request had a code_challenge');
  // RFC 7636 §4.3: a challenge sent without a method is plain.
  const method = data.codeChallengeMethod ?? 'plain';
  if (method === 'plain' && !client.allowPlainTextPkce) throw new OAuthError('invalid_grant', 'the plain code_challenge_method is not allowed for this client');
  const expected = method === 'S256' ? hash('sha256', verifier, 'base64url') : verifier;
  if (!constantTimeEqual(Buffer.from(expected), Buffer.from(data.codeChallenge))) {
    throw new OAuthError('invalid_grant', 'the code_verifier does not match the code_challenge');
  }
}

async function activeUser(subjectId: string, deps: Deps): Promise<User> {
  const user = await deps.stores.users.findUserBySubjectId(subjectId);
  if (!user?.enabled) throw new OAuthError('invalid_grant', 'the user the code was issued for is no longer active', { detail: `subject ${subjectId}` });
  return user;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isOptional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const isString = (value: unknown): boolean => typeof value === 'string';

/** A row read from the store is checked before it is trusted; a malformed one is a server fault, not the client's. */
function readCodeData(grant: PersistedGrant): AuthorizationCodeData {
  const data = JSON.parse(grant.data) as Record<string, unknown>;
  const wellFormed =
    typeof data['clientId'] === 'string' &&
    typeof data['redirectUri'] === 'string' &&
    typeof data['subjectId'] === 'string' &&
    typeof data['sessionId'] === 'string' &&
    typeof data['authTime'] === 'number' &&
    typeof data['accessTokenJti'] === 'string' &&
    isStringArray(data['scopes']) &&
    isStringArray(data['amr']) &&
    isOptional(data['resources'], isStringArray) &&
    isOptional(data['nonce'], isString) &&
    isOptional(data['acr'], isString) &&
    isOptional(data['codeChallenge'], isString) &&
    isOptional(data['codeChallengeMethod'], (method) => method === 'S256' || method === 'plain');
  if (!wellFormed) throw new Error(`malformed authorization code data for client ${grant.clientId}`);
  return data as unknown as AuthorizationCodeData;
}
