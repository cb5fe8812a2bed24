import type { Services } from '../provider/services.ts';

/** What a grant of a token family records about the JWT access token issued with it. */
export interface IssuedAccessTokenRecord {
  readonly accessTokenJti?: string;
  /** Epoch ms. */
  readonly accessTokenExpiresAt?: number;
}

/**
 * Revokes everything issued from one authorization: its code, refresh tokens and reference access tokens
 * are removed, and the JWT access tokens the family's grants recorded are put on the revocation list
 * until they expire (RFC 6749 §4.1.2 for a replayed code, RFC 9700 §4.14.2 for a reused refresh token,
 * RFC 7009 §2.1 for a revoked refresh token). Returns how many grants were removed.
 */
export async function revokeFamily(familyId: string, deps: Pick<Services, 'stores' | 'clock'>): Promise<number> {
  const grants = await deps.stores.grants.listGrants({ familyId });
  const now = deps.clock.now();
  for (const grant of grants) {
    const record = JSON.parse(grant.data) as IssuedAccessTokenRecord;
    if (record.accessTokenJti !== undefined && (record.accessTokenExpiresAt ?? 0) > now) {
      await deps.stores.revocations.revokeToken(record.accessTokenJti, record.accessTokenExpiresAt!);
    }
  }
  return deps.stores.grants.removeGrants({ familyId });
}
