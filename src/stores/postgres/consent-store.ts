import { checkLimit } from '../arguments.ts';
import type { Consent, ConsentStore } from '../types.ts';
import type { Database } from './database.ts';

type ConsentRow = { subject_id: string; client_id: string; scopes: string[]; created_at: number; expires_at: number | null };

const columns = 'subject_id, client_id, scopes, created_at, expires_at';

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
function toConsent(row: ConsentRow): Consent {
  const consent: { -readonly [K in keyof Consent]: Consent[K] } = {
    subjectId: row.subject_id,
    clientId: row.client_id,
    scopes: row.scopes,
    createdAt: row.created_at,
  };
  if (row.expires_at !== null) consent.expiresAt = row.expires_at;
  return consent;
}

// A consent without expiresAt lasts until revoked.
const find = `SELECT ${columns} FROM consents WHERE subject_id = $1 AND client_id = $2 AND (expires_at IS NULL OR expires_at > $3)`;
// One statement, so a consent replaced concurrently ends as one whole consent, never a mix of two.
const save = `INSERT INTO consents (${columns}) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (subject_id, client_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at, expires_at = excluded.expires_at`;
const remove = 'DELETE FROM consents WHERE subject_id = $1 AND client_id = $2';
// Oldest first; seq breaks ties in the order the consents were first saved.
const listBySubject = `SELECT ${columns} FROM consents WHERE subject_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, seq`;
// `expires_at <= $1` is never true for NULL: a consent until revoked is never removed as expired.
const removeExpired = `DELETE FROM consents WHERE (subject_id, client_id) IN (
  SELECT subject_id, client_id FROM consents WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function createPostgresConsentStore(db: Database): ConsentStore {
  return {
    async findConsent(subjectId, clientId, now) {
      const { rows } = await db.query<ConsentRow>(find, [subjectId, clientId, now]);
      return rows[0] && toConsent(rows[0]);
    },
    async saveConsent(consent) {
      await db.query(save, [consent.subjectId, consent.clientId, JSON.stringify(consent.scopes), consent.createdAt, consent.expiresAt ?? null]);
    },
    async removeConsent(subjectId, clientId) {
      return (await db.query(remove, [subjectId, clientId])).rowCount === 1;
    },
    async listConsents(subjectId, now) {
      return (await db.query<ConsentRow>(listBySubject, [subjectId, now])).rows.map(toConsent);
    },
    async removeExpiredConsents(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
