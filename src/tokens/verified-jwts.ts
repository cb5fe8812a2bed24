import type { AccessTokenClaims } from './access-token-claims.ts';

/** Tokens kept at most; at ~1 KB a token, about 10 MB. */
export const verifiedJwtCacheSize = 10_000;

/**
 * The access tokens whose signature and issuer this server already verified, with their claims, most
 * recently used last. Clients present one access token many times (an SPA calls userinfo on every page,
 * an API introspects per call), and the ES256 verification is most of what such a request costs; the
 * signature of an unchanged token cannot change, so it is verified once. Expiry and revocation are checked
 * on every use all the same. Keyed by the whole token, so any other token, however alike, is verified on
 * its own. Bounded: the least recently used token goes first.
 */
export class VerifiedJwts {
  readonly #entries = new Map<string, AccessTokenClaims>();
  readonly #max: number;

  constructor(max = verifiedJwtCacheSize) {
    this.#max = max;
  }

  get(token: string): AccessTokenClaims | undefined {
    const claims = this.#entries.get(token);
    if (claims !== undefined) {
      this.#entries.delete(token);
      this.#entries.set(token, claims);
    }
    return claims;
  }

  add(token: string, claims: AccessTokenClaims): void {
    this.#entries.set(token, claims);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }

  delete(token: string): void {
    this.#entries.delete(token);
  }

  get size(): number {
    return this.#entries.size;
  }
}
