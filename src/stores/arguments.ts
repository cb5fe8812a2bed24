import type { GrantFilter, SessionFilter } from './types.ts';

export type GrantFilterField = keyof GrantFilter;

// Fixed order, so equal filters yield equal entry lists (the SQLite store caches a statement per shape).
const fields: readonly GrantFilterField[] = ['clientId', 'subjectId', 'sessionId', 'familyId', 'type'];

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
    throw new TypeError(`a grant filter needs at least one of ${fields.join(', ')}; an empty filter would match every grant`);
  }
  return entries;
}

/** As grantFilterEntries, for sessions. */
export function sessionFilterEntries(filter: SessionFilter): Array<readonly [keyof SessionFilter, string]> {
  const entries = (['subjectId', 'sessionId', 'clientId'] as const).flatMap((field) => {
    const value = filter[field];
    return value === undefined ? [] : [[field, value] as const];
  });
  if (entries.length === 0) throw new TypeError('a session filter needs at least one of subjectId, sessionId, clientId');
  return entries;
}

/** SQLite reads a negative LIMIT as "no limit"; refuse it rather than let a bad caller empty a table. */
export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}
