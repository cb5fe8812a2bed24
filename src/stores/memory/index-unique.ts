import { DuplicateKeyError } from '../errors.ts';

/** Builds a fresh map, so a replace that fails on a duplicate leaves the old map in place. */
export function indexUnique<T>(items: readonly T[], keyOf: (item: T) => string, kind: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (map.has(key)) throw new DuplicateKeyError(kind, key);
    map.set(key, item);
  }
  return map;
}
