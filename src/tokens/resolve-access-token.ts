import { jwtVerify } from 'jose/jwt/verify';
import type { Services } from '../provider/services.ts';
import { epochSeconds } from '../util/clock.ts';
import { handleKey } from '../util/crypto.ts';
import { accessTokenJwtType, referenceTokenGrantType, type AccessTokenClaims } from './access-token-claims.ts';
import { VerifiedJwts } from './verified-jwts.ts';

export interface ResolvedAccessToken {
  readonly format: 'jwt' | 'reference';
  readonly claims: AccessTokenClaims;
}

const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

// One cache per provider: its key service stands for it (tokens of one issuer, verified with its keys).
const caches = new WeakMap<object, VerifiedJwts>();

/** The claims of a live JWT access token of this issuer, verified once (VerifiedJwts), expiry checked at every use. */
async function verifiedClaims(token: string, services: Pick<Services, 'issuer' | 'keys'>, now: number): Promise<AccessTokenClaims | undefined> {
  let cache = caches.get(services.keys);
  if (cache === undefined) caches.set(services.keys, (cache = new VerifiedJwts()));
  const known = cache.get(token);
  if (known !== undefined) {
    if (known.exp > epochSeconds(now)) return known;
    cache.delete(token);
    return undefined;
  }
  try {
    const { payload } = await jwtVerify(token, await services.keys.verificationKeys(), {
      issuer: services.issuer,
      typ: accessTokenJwtType,
      algorithms: [...services.keys.algorithms],
      currentDate: new Date(now),
      requiredClaims: ['exp', 'jti', 'client_id'],
    });
    // Frozen: every later request with this token shares the object.
    const claims = Object.freeze(payload) as AccessTokenClaims;
    cache.add(token, claims);
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * Finds the claims of an access token this server issued and that is still valid: a JWT verified
 * against our own published keys (typ at+jwt only, RFC 8725 §3.11), not expired and not revoked;
 * or a live reference token whose jti is not revoked; in both cases of a client that still exists and
 * is enabled, so a token dies with its client as in Duende. Anything else is undefined, with no reason
 * (RFC 7662 §2.2).
 */
export async function resolveAccessToken(token: string, services: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores'>): Promise<ResolvedAccessToken | undefined> {
  const resolved = await resolveIssuedToken(token, services);
  if (!resolved) return undefined;
  const client = await services.stores.clients.findClientById(resolved.claims.client_id);
  return client?.enabled ? resolved : undefined;
}

async function resolveIssuedToken(token: string, services: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores'>): Promise<ResolvedAccessToken | undefined> {
  const now = services.clock.now();
  if (looksLikeJwt(token)) {
    const claims = await verifiedClaims(token, services, now);
    if (claims === undefined || (await services.stores.revocations.isTokenRevoked(claims.jti))) return undefined;
    return { format: 'jwt', claims };
  }
  if (token.length > 512) return undefined;
  const grant = await services.stores.grants.getGrant(handleKey(token));
  if (!grant || grant.type !== referenceTokenGrantType || grant.expiresAt <= now) return undefined;
  const claims = JSON.parse(grant.data) as AccessTokenClaims;
  if (claims.exp <= epochSeconds(now)) return undefined;
  // A replayed code revokes its access token by jti (RFC 6749 §4.1.2), possibly before a concurrent first
  // redemption has stored it, so its family removal would miss it: the list applies to reference tokens too.
  if (await services.stores.revocations.isTokenRevoked(claims.jti)) return undefined;
  return { format: 'reference', claims };
}
