import type { DatabaseSync } from 'node:sqlite';
import { checkLimit } from '../arguments.ts';
import type { Consent, ConsentStore } from '../types.ts';

type ConsentRow = { subject_id: string; client_id: string; scopes: string; created_at: number; expires_at: number | null };

const columns = 'subject_id, client_id, scopes, created_at, expires_at';

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
function toConsent(row: ConsentRow): Consent {
  const consent: { -readonly [K in keyof Consent]: Consent[K] } = {
    subjectId: row.subject_id,
    clientId: row.client_id,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
  };
  if (row.expires_at !== null) consent.expiresAt = row.expires_at;
  return consent;
}

// A consent without expiresAt lasts until revoked.
const live = '(expires_at IS NULL OR expires_at > ?)';

export function createSqliteConsentStore(db: DatabaseSync): ConsentStore {
  const find = db.prepare(`SELECT ${columns} FROM consents WHERE subject_id = ? AND client_id = ? AND ${live}`);
  // One statement, so a consent replaced concurrently ends as one whole consent, never a mix of two.
  const save = db.prepare(
    `INSERT INTO consents (${columns}) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (subject_id, client_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at, expires_at = excluded.expires_at`,
  );
  const remove = db.prepare('DELETE FROM consents WHERE subject_id = ? AND client_id = ?');
  // Oldest first; rowid breaks ties in the order the consents were first saved.
  const listBySubject = db.prepare(`SELECT ${columns} FROM consents WHERE subject_id = ? AND ${live} ORDER BY created_at, rowid`);
  // `expires_at <= ?` is never true for NULL: a consent until revoked is never removed as expired.
  const removeExpired = db.prepare('DELETE FROM consents WHERE rowid IN (SELECT rowid FROM consents WHERE expires_at <= ? LIMIT ?)');

  return {
    async findConsent(subjectId, clientId, now) {
      const row = find.get(subjectId, clientId, now) as ConsentRow | undefined;
      return row && toConsent(row);
    },
    async saveConsent(consent) {
      save.run(consent.subjectId, consent.clientId, JSON.stringify(consent.scopes), consent.createdAt, consent.expiresAt ?? null);
    },
    async removeConsent(subjectId, clientId) {
      return Number(remove.run(subjectId, clientId).changes) === 1;
    },
    async listConsents(subjectId, now) {
      return (listBySubject.all(subjectId, now) as ConsentRow[]).map(toConsent);
    },
    async removeExpiredConsents(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
