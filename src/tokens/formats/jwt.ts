import { CompactSign } from 'jose/jws/compact/sign';
import type { SigningKeyService } from '../../keys/signing-key-service.ts';
import type { SigningAlgorithm } from '../../config/schema.ts';
import { accessTokenJwtType, type AccessTokenClaims } from '../access-token-claims.ts';

const encoder = new TextEncoder();

/**
 * RFC 9068 §2.1: a JWT access token says so in its `typ` header, so it is never taken for an ID token.
 * The claims were built by this server, so they are serialized as they are and signed as a compact
 * JWS; jose's SignJWT would copy and re-check them on every token.
 */
export async function signJwtAccessToken(claims: AccessTokenClaims, alg: SigningAlgorithm, keys: SigningKeyService): Promise<string> {
  const key = await keys.signingKey(alg);
  return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg, kid: key.kid, typ: accessTokenJwtType }).sign(key.privateKey);
}
