import type { DatabaseSync } from 'node:sqlite';
import { checkLimit } from '../arguments.ts';
import type { AttemptCount, SignInAttemptStore } from '../types.ts';

type AttemptRow = { count: number; first_at: number; last_at: number; expires_at: number };

const toCount = (row: AttemptRow): AttemptCount => ({ count: row.count, firstAt: row.first_at, lastAt: row.last_at, expiresAt: row.expires_at });

export function createSqliteSignInAttemptStore(db: DatabaseSync): SignInAttemptStore {
  // One UPSERT, so concurrent failures (from any connection) each count: a read, then a write, would let
  // two of them write the same count and a password guesser slip past the limit. SET expressions all
  // read the row as it was, so a lapsed count restarts at 1 with a new window start.
  const record = db.prepare(
    `INSERT INTO sign_in_attempts (key, count, first_at, last_at, expires_at) VALUES ($key, 1, $now, $now, $expiresAt)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN expires_at > $now THEN count + 1 ELSE 1 END,
       first_at = CASE WHEN expires_at > $now THEN first_at ELSE $now END,
       last_at = $now,
       expires_at = $expiresAt
     RETURNING count, first_at, last_at, expires_at`,
  );
  const find = db.prepare('SELECT count, first_at, last_at, expires_at FROM sign_in_attempts WHERE key = ? AND expires_at > ?');
  const reset = db.prepare('DELETE FROM sign_in_attempts WHERE key = ?');
  const removeExpired = db.prepare('DELETE FROM sign_in_attempts WHERE rowid IN (SELECT rowid FROM sign_in_attempts WHERE expires_at <= ? LIMIT ?)');

  return {
    async recordFailure(key, now, windowMs) {
      return toCount(record.get({ key, now, expiresAt: now + windowMs }) as AttemptRow);
    },
    async getAttempts(key, now) {
      const row = find.get(key, now) as AttemptRow | undefined;
      return row && toCount(row);
    },
    async resetAttempts(key) {
      reset.run(key);
    },
    async removeExpiredAttempts(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
