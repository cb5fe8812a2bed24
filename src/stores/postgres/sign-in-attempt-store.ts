import { checkLimit } from '../arguments.ts';
import type { AttemptCount, SignInAttemptStore } from '../types.ts';
import type { Database } from './database.ts';

type AttemptRow = { count: number; first_at: number; last_at: number; expires_at: number };

const toCount = (row: AttemptRow): AttemptCount => ({ count: row.count, firstAt: row.first_at, lastAt: row.last_at, expiresAt: row.expires_at });

// One upsert, so concurrent failures on every node each count: a read, then a write, would let two of
// them write the same count and a password guesser slip past the limit. The SET expressions read the row
// as it was (re-read as committed if another failure updated it first), so a lapsed count restarts at 1.
const record = `INSERT INTO sign_in_attempts AS a (key, count, first_at, last_at, expires_at) VALUES ($1, 1, $2, $2, $3)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN a.expires_at > $2 THEN a.count + 1 ELSE 1 END,
    first_at = CASE WHEN a.expires_at > $2 THEN a.first_at ELSE $2 END,
    last_at = $2,
    expires_at = $3
  RETURNING count, first_at, last_at, expires_at`;
const find = 'SELECT count, first_at, last_at, expires_at FROM sign_in_attempts WHERE key = $1 AND expires_at > $2';
const reset = 'DELETE FROM sign_in_attempts WHERE key = $1';
const removeExpired = `DELETE FROM sign_in_attempts WHERE key IN (
  SELECT key FROM sign_in_attempts WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function createPostgresSignInAttemptStore(db: Database): SignInAttemptStore {
  return {
    async recordFailure(key, now, windowMs) {
      return toCount((await db.query<AttemptRow>(record, [key, now, now + windowMs])).rows[0]!);
    },
    async getAttempts(key, now) {
      const { rows } = await db.query<AttemptRow>(find, [key, now]);
      return rows[0] && toCount(rows[0]);
    },
    async resetAttempts(key) {
      await db.query(reset, [key]);
    },
    async removeExpiredAttempts(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
