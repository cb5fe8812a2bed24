import { hash } from 'node:crypto';
import type { SigningAlgorithm } from '../config/schema.ts';
import type { Services } from '../provider/services.ts';
import type { Client } from '../stores/types.ts';
import { epochSeconds } from '../util/clock.ts';
import { signJwt } from './formats/jwt.ts';

export interface IdTokenRequest {
  readonly client: Client;
  readonly subjectId: string;
  /** `sid` (OIDC Front-/Back-Channel Logout): the session the token was issued in. */
  readonly sessionId: string;
  /** Epoch seconds. */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr?: string | undefined;
  readonly nonce?: string | undefined;
  /** The access token issued alongside, for `at_hash` (OIDC Core §3.1.3.6). */
  readonly accessToken?: string | undefined;
  /** User claims to include (already chosen by scope); protocol claims always win over them. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The client's first allowed algorithm that has a key, else the provider's default (OIDC Core §2, Registration §2). */
export function idTokenAlgorithm(client: Client, keys: Pick<Services['keys'], 'algorithms' | 'defaultAlgorithm'>): SigningAlgorithm {
  const allowed = client.allowedIdentityTokenSigningAlgorithms.find((alg): alg is SigningAlgorithm => keys.algorithms.includes(alg as SigningAlgorithm));
  return allowed ?? keys.defaultAlgorithm;
}

/**
 * OIDC Core §3.1.3.6: the left half of the hash of the token's ASCII octets, base64url, with the hash of
 * the ID token's `alg`: SHA-256 for RS256, PS256 and ES256; SHA-512 for EdDSA with Ed25519, as the
 * certified providers do.
 */
export function leftHalfHash(value: string, alg: SigningAlgorithm): string {
  const digest = hash(alg === 'EdDSA' ? 'sha512' : 'sha256', value, 'buffer');
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Signs an ID token (OIDC Core §2) for `client`. */
export async function issueIdToken(request: IdTokenRequest, deps: Pick<Services, 'issuer' | 'clock' | 'keys'>): Promise<string> {
  const alg = idTokenAlgorithm(request.client, deps.keys);
  const now = epochSeconds(deps.clock.now());
  const claims: Record<string, unknown> = {
    ...request.claims,
    iss: deps.issuer,
    sub: request.subjectId,
    aud: request.client.clientId,
    exp: now + request.client.identityTokenLifetime,
    iat: now,
    auth_time: request.authTime,
    sid: request.sessionId,
    amr: [...request.amr],
  };
  if (request.acr !== undefined) claims['acr'] = request.acr;
  if (request.nonce !== undefined) claims['nonce'] = request.nonce;
  if (request.accessToken !== undefined) claims['at_hash'] = leftHalfHash(request.accessToken, alg);
  return signJwt(claims, alg, 'JWT', deps.keys);
}
