import { DuplicateKeyError } from '../errors.ts';
import type { SigningKeyStore, StoredSigningKey } from '../types.ts';
import type { Database } from './database.ts';
import { uniqueViolation } from './unique-violation.ts';

type KeyRow = { kid: string; alg: string; created_at: number; data: string };

// Oldest first, like every backend, so key rotation sees the same order on each.
const listAll = 'SELECT kid, alg, created_at, data FROM signing_keys ORDER BY created_at, kid';
const insert = 'INSERT INTO signing_keys (kid, alg, created_at, data) VALUES ($1, $2, $3, $4)';
const remove = 'DELETE FROM signing_keys WHERE kid = $1';

export function createPostgresSigningKeyStore(db: Database): SigningKeyStore {
  return {
    async listKeys() {
      return (await db.query<KeyRow>(listAll)).rows.map(
        (row): StoredSigningKey => ({ kid: row.kid, alg: row.alg, createdAt: row.created_at, data: row.data }),
      );
    },
    async addKey(key) {
      try {
        await db.query(insert, [key.kid, key.alg, key.createdAt, key.data]);
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('signing key', key.kid, { cause: error }) : error;
      }
    },
    async removeKey(kid) {
      await db.query(remove, [kid]);
    },
  };
}
