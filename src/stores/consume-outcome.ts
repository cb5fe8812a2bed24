import type { ConsumeGrantResult, ConsumeInteractionResult, Interaction, PersistedGrant } from './types.ts';

export type RefusedConsume = Exclude<ConsumeGrantResult, { readonly outcome: 'consumed' }>;
export type RefusedInteraction = Exclude<ConsumeInteractionResult, { readonly outcome: 'consumed' }>;

/** What every single-use record (a grant, an interaction) has. */
interface SingleUse {
  readonly expiresAt: number;
  readonly consumedAt?: number | undefined;
}

/**
 * Why `stored` cannot be consumed at `now`, or undefined if it can. Every backend classifies a lost
 * consume here, so they agree on the order: a reuse outranks expiry (RFC 6749 §4.1.2 asks to revoke
 * what a code used twice issued, however late the second use).
 */
function refusal(stored: SingleUse | undefined, now: number): 'unknown' | 'replayed' | 'expired' | undefined {
  if (stored === undefined) return 'unknown';
  if (stored.consumedAt !== undefined) return 'replayed';
  if (stored.expiresAt <= now) return 'expired';
  return undefined;
}

export function whyNotConsumable(stored: PersistedGrant | undefined, now: number): RefusedConsume | undefined {
  const outcome = refusal(stored, now);
  if (outcome === undefined) return undefined;
  return outcome === 'unknown' ? { outcome } : { outcome, grant: stored! };
}

/** As whyNotConsumable, for an interaction: an answer sent back twice is a replay, even once expired. */
export function whyInteractionNotConsumable(stored: Interaction | undefined, now: number): RefusedInteraction | undefined {
  const outcome = refusal(stored, now);
  if (outcome === undefined) return undefined;
  return outcome === 'unknown' ? { outcome } : { outcome, interaction: stored! };
}
