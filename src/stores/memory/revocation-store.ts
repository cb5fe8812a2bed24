import type { RevocationStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { removeExpiredEntries } from './remove-expired.ts';

export function createMemoryRevocationStore(gate: Gate): RevocationStore {
  const expiries = new Map<string, number>();
  return {
    // Revoking twice keeps the later expiry: forgetting a revocation early would revive a live token.
    async revokeToken(jti, expiresAt) {
      checkOpen(gate);
      expiries.set(jti, Math.max(expiresAt, expiries.get(jti) ?? expiresAt));
    },
    async isTokenRevoked(jti) {
      checkOpen(gate);
      return expiries.has(jti);
    },
    async removeExpiredRevocations(now, limit) {
      checkOpen(gate);
      return removeExpiredEntries(expiries, now, limit, (expiresAt) => expiresAt);
    },
  };
}
