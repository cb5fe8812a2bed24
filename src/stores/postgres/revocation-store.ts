import { checkLimit } from '../arguments.ts';
import type { RevocationStore } from '../types.ts';
import type { Database } from './database.ts';

// Revoking twice keeps the later expiry: forgetting a revocation early would revive a live token.
const upsert = `INSERT INTO revocations (jti, expires_at) VALUES ($1, $2)
  ON CONFLICT (jti) DO UPDATE SET expires_at = greatest(revocations.expires_at, excluded.expires_at)`;
const exists = 'SELECT 1 FROM revocations WHERE jti = $1';
const removeExpired = `DELETE FROM revocations WHERE jti IN (
  SELECT jti FROM revocations WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function createPostgresRevocationStore(db: Database): RevocationStore {
  return {
    async revokeToken(jti, expiresAt) {
      await db.query(upsert, [jti, expiresAt]);
    },
    async isTokenRevoked(jti) {
      return (await db.query(exists, [jti])).rowCount > 0;
    },
    async removeExpiredRevocations(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
