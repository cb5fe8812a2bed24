import type { GrantFilterField } from './arguments.ts';
import type { PersistedGrant } from './types.ts';

/** A grant as both SQL backends store it: one column per field, snake_case, NULL for an absent one. */
export type GrantRow = {
  key: string;
  type: string;
  client_id: string;
  subject_id: string | null;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at?: number | null;
  family_id: string | null;
  data: string;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const grantColumns = 'key, type, client_id, subject_id, session_id, created_at, expires_at, consumed_at, family_id, data';

/** The column of each field a GrantFilter may set. */
export const grantFilterColumns: Record<GrantFilterField, string> = {
  clientId: 'client_id',
  subjectId: 'subject_id',
  sessionId: 'session_id',
  familyId: 'family_id',
  type: 'type',
};

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
export function toGrant(row: GrantRow): PersistedGrant {
  const grant: Mutable<PersistedGrant> = {
    key: row.key,
    type: row.type,
    clientId: row.client_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    data: row.data,
  };
  if (row.subject_id !== null) grant.subjectId = row.subject_id;
  if (row.session_id !== null) grant.sessionId = row.session_id;
  if (row.consumed_at !== undefined && row.consumed_at !== null) grant.consumedAt = row.consumed_at;
  if (row.family_id !== null) grant.familyId = row.family_id;
  return grant;
}
