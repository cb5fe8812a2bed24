import type { GrantStore } from '../../stores/types.ts';
import { handleKey, randomHandle } from '../../util/crypto.ts';
import { referenceTokenGrantType, type AccessTokenClaims } from '../access-token-claims.ts';

/**
 * A reference token is an opaque 256-bit handle; the claims stay on the server under the handle's
 * SHA-256, so the store never holds a usable token (Duende's persisted grants do the same).
 */
export async function storeReferenceToken(claims: AccessTokenClaims, grants: GrantStore, familyId?: string): Promise<string> {
  const handle = randomHandle(32);
  await grants.storeGrant({
    key: handleKey(handle),
    type: referenceTokenGrantType,
    clientId: claims.client_id,
    subjectId: claims.sub,
    ...(typeof claims['sid'] === 'string' ? { sessionId: claims['sid'] } : {}),
    ...(familyId === undefined ? {} : { familyId }),
    createdAt: claims.iat * 1000,
    expiresAt: claims.exp * 1000,
    data: JSON.stringify(claims),
  });
  return handle;
}
