import type { AttemptCount, SignInAttemptStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { removeExpiredEntries } from './remove-expired.ts';

export function createMemorySignInAttemptStore(gate: Gate): SignInAttemptStore {
  const counts = new Map<string, AttemptCount>();
  const live = (key: string, now: number) => {
    const count = counts.get(key);
    return count !== undefined && count.expiresAt > now ? count : undefined;
  };
  return {
    async recordFailure(key, now, windowMs) {
      checkOpen(gate);
      const current = live(key, now);
      const next: AttemptCount = Object.freeze({
        count: (current?.count ?? 0) + 1,
        firstAt: current?.firstAt ?? now,
        lastAt: now,
        expiresAt: now + windowMs,
      });
      counts.set(key, next);
      return next;
    },
    async getAttempts(key, now) {
      checkOpen(gate);
      return live(key, now);
    },
    async resetAttempts(key) {
      checkOpen(gate);
      counts.delete(key);
    },
    async removeExpiredAttempts(now, limit) {
      checkOpen(gate);
      return removeExpiredEntries(counts, now, limit, (count) => count.expiresAt);
    },
  };
}
