import { checkLimit, grantFilterEntries } from '../arguments.ts';
import { whyNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { GrantStore, PersistedGrant } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryGrantStore(gate: Gate): GrantStore {
  const grants = new Map<string, PersistedGrant>();
  return {
    async storeGrant(grant) {
      checkOpen(gate);
      if (grants.has(grant.key)) throw new DuplicateKeyError('grant', grant.key);
      grants.set(grant.key, snapshot(grant));
    },
    async getGrant(key) {
      checkOpen(gate);
      return grants.get(key);
    },
    async removeGrant(key) {
      checkOpen(gate);
      const grant = grants.get(key);
      grants.delete(key);
      return grant;
    },
    // Atomic because nothing awaits between the check and the write: the event loop cannot interleave
    // another consume in between.
    async consumeGrant(key, now) {
      checkOpen(gate);
      const grant = grants.get(key);
      if (grant === undefined) return { outcome: 'unknown' };
      const refused = whyNotConsumable(grant, now);
      if (refused !== undefined) return refused;
      grants.set(key, Object.freeze({ ...grant, consumedAt: now }));
      return { outcome: 'consumed', grant };
    },
    async removeGrants(filter) {
      checkOpen(gate);
      const entries = grantFilterEntries(filter);
      let removed = 0;
      for (const [key, grant] of grants) {
        if (entries.every(([field, value]) => grant[field] === value)) {
          grants.delete(key);
          removed++;
        }
      }
      return removed;
    },
    async removeExpiredGrants(now, limit) {
      checkOpen(gate);
      checkLimit(limit);
      let removed = 0;
      for (const [key, grant] of grants) {
        if (removed >= limit) break;
        if (grant.expiresAt <= now) {
          grants.delete(key);
          removed++;
        }
      }
      return removed;
    },
  };
}
