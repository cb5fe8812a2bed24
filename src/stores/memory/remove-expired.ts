import { checkLimit } from '../arguments.ts';

/**
 * Deletes up to `limit` entries of `map` whose `expiresAt` (epoch ms) is at or before `now`, as every
 * store's removeExpired… does; returns how many. Deleting while iterating a Map is safe: iteration goes
 * on with the entries not yet visited.
 */
export function removeExpiredEntries<K, V>(map: Map<K, V>, now: number, limit: number, expiresAt: (value: V) => number, onRemove?: (value: V) => void): number {
  checkLimit(limit);
  let removed = 0;
  for (const [key, value] of map) {
    if (removed >= limit) break;
    if (expiresAt(value) <= now) {
      map.delete(key);
      onRemove?.(value);
      removed++;
    }
  }
  return removed;
}
