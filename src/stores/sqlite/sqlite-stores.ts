import type { Stores } from '../types.ts';
import { createSqliteClientStore } from './client-store.ts';
import { createSqliteGrantStore } from './grant-store.ts';
import { createSqliteSigningKeyStore } from './signing-key-store.ts';
import { openDatabase } from './open-database.ts';
import { createSqliteResourceStore } from './resource-store.ts';
import { createSqliteRevocationStore } from './revocation-store.ts';
import { createSqliteUserStore } from './user-store.ts';

/**
 * Stores in one SQLite file (created with its directory if missing), or `:memory:`. Several processes
 * may open the same file; every atomic operation is a single statement or an IMMEDIATE transaction.
 */
export function openSqliteStores(path: string): Stores {
  const db = openDatabase(path);
  try {
    return {
      clients: createSqliteClientStore(db),
      resources: createSqliteResourceStore(db),
      users: createSqliteUserStore(db),
      grants: createSqliteGrantStore(db),
      revocations: createSqliteRevocationStore(db),
      signingKeys: createSqliteSigningKeyStore(db),
      // Closing finalizes every prepared statement, so later calls reject instead of touching freed memory.
      async close() {
        if (db.isOpen) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
