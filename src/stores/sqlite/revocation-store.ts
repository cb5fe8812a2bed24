import type { DatabaseSync } from 'node:sqlite';
import { checkLimit } from '../arguments.ts';
import type { RevocationStore } from '../types.ts';

export function createSqliteRevocationStore(db: DatabaseSync): RevocationStore {
  // Revoking twice keeps the later expiry: forgetting a revocation early would revive a live token.
  const upsert = db.prepare(
    `INSERT INTO revocations (jti, expires_at) VALUES (?, ?)
     ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
  );
  const exists = db.prepare('SELECT 1 FROM revocations WHERE jti = ?');
  const removeExpired = db.prepare(
    'DELETE FROM revocations WHERE jti IN (SELECT jti FROM revocations WHERE expires_at <= ? LIMIT ?)',
  );
  return {
    async revokeToken(jti, expiresAt) {
      upsert.run(jti, expiresAt);
    },
    async isTokenRevoked(jti) {
      return exists.get(jti) !== undefined;
    },
    async removeExpiredRevocations(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
