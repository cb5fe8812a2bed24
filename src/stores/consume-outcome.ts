import type { ConsumeGrantResult, PersistedGrant } from './types.ts';

export type RefusedConsume = Exclude<ConsumeGrantResult, { readonly outcome: 'consumed' }>;

/**
 * Why `stored` cannot be consumed at `now`, or undefined if it can. Every backend classifies a lost
 * consume here, so they agree on the order: a reuse outranks expiry (RFC 6749 §4.1.2 asks to revoke
 * what a code used twice issued, however late the second use).
 */
export function whyNotConsumable(stored: PersistedGrant | undefined, now: number): RefusedConsume | undefined {
  if (stored === undefined) return { outcome: 'unknown' };
  if (stored.consumedAt !== undefined) return { outcome: 'replayed', grant: stored };
  if (stored.expiresAt <= now) return { outcome: 'expired', grant: stored };
  return undefined;
}
