import { grantFilterEntries } from '../arguments.ts';
import { whyNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { ConsumeGrantResult, GrantStore, PersistedGrant } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { removeExpiredEntries } from './remove-expired.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryGrantStore(gate: Gate): GrantStore {
  const grants = new Map<string, PersistedGrant>();

  // Atomic because it never awaits: the event loop cannot run another consume between the check and
  // the writes. Every check passes before the first write, so a rejection leaves the map untouched.
  function consume(key: string, now: number, successor?: PersistedGrant): ConsumeGrantResult {
    checkOpen(gate);
    const grant = grants.get(key);
    if (grant === undefined) return { outcome: 'unknown' };
    const refused = whyNotConsumable(grant, now);
    if (refused !== undefined) return refused;
    if (successor !== undefined && grants.has(successor.key)) throw new DuplicateKeyError('grant', successor.key);
    grants.set(key, Object.freeze({ ...grant, consumedAt: now }));
    if (successor !== undefined) grants.set(successor.key, snapshot(successor));
    return { outcome: 'consumed', grant };
  }

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
    async consumeGrant(key, now) {
      return consume(key, now);
    },
    async rotateGrant(key, successor, now) {
      return consume(key, now, successor);
    },
    async listGrants(filter) {
      checkOpen(gate);
      const entries = grantFilterEntries(filter);
      return [...grants.values()].filter((grant) => entries.every(([field, value]) => grant[field] === value));
    },
    async updateGrantData(key, data, now) {
      checkOpen(gate);
      const grant = grants.get(key);
      if (grant === undefined || grant.consumedAt !== undefined || grant.expiresAt <= now) return false;
      grants.set(key, Object.freeze({ ...grant, data }));
      return true;
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
      return removeExpiredEntries(grants, now, limit, (grant) => grant.expiresAt);
    },
  };
}
