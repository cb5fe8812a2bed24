import type { DatabaseSync } from 'node:sqlite';
import { DuplicateKeyError } from '../errors.ts';
import type { SigningKeyStore, StoredSigningKey } from '../types.ts';
import { uniqueViolation } from './unique-violation.ts';

type KeyRow = { kid: string; alg: string; created_at: number; data: string };

export function createSqliteSigningKeyStore(db: DatabaseSync): SigningKeyStore {
  // Oldest first, like the memory store, so key rotation sees the same order on either backend.
  const listAll = db.prepare('SELECT kid, alg, created_at, data FROM signing_keys ORDER BY created_at, kid');
  const insert = db.prepare('INSERT INTO signing_keys (kid, alg, created_at, data) VALUES (?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM signing_keys WHERE kid = ?');
  return {
    async listKeys() {
      return (listAll.all() as KeyRow[]).map(
        (row): StoredSigningKey => ({ kid: row.kid, alg: row.alg, createdAt: row.created_at, data: row.data }),
      );
    },
    async addKey(key) {
      try {
        insert.run(key.kid, key.alg, key.createdAt, key.data);
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('signing key', key.kid, { cause: error }) : error;
      }
    },
    async removeKey(kid) {
      remove.run(kid);
    },
  };
}
