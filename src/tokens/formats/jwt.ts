import { SignJWT } from 'jose/jwt/sign';
import type { KeyManager } from '../../keys/key-manager.ts';
import type { SigningAlgorithm } from '../../config/schema.ts';
import { accessTokenJwtType, type AccessTokenClaims } from '../access-token-claims.ts';

/** RFC 9068 §2.1: a JWT access token says so in its `typ` header, so it is never taken for an ID token. */
export async function signJwtAccessToken(claims: AccessTokenClaims, alg: SigningAlgorithm, keys: KeyManager): Promise<string> {
  const key = await keys.signingKey(alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ: accessTokenJwtType }).sign(key.privateKey);
}
