import type { GrantFilter } from './types.ts';

export type GrantFilterField = keyof GrantFilter;

// Fixed order, so equal filters yield equal entry lists (the SQLite store caches a statement per shape).
const fields: readonly GrantFilterField[] = ['clientId', 'subjectId', 'sessionId', 'type'];

/**
 * The fields a filter actually sets. Refuses an empty filter: matching "every grant" is never what a
 * logout or client removal means, and a missing field must not silently widen a delete to the whole table.
 */
export function grantFilterEntries(filter: GrantFilter): Array<readonly [GrantFilterField, string]> {
  const entries = fields.flatMap((field) => {
    const value = filter[field];
    return value === undefined ? [] : [[field, value] as const];
  });
  if (entries.length === 0) {
    throw new TypeError(`removeGrants needs at least one of ${fields.join(', ')}; an empty filter would remove every grant`);
  }
  return entries;
}

/** SQLite reads a negative LIMIT as "no limit"; refuse it rather than let a bad caller empty a table. */
export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}
