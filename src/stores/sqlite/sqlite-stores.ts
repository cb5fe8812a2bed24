import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Stores } from '../types.ts';
import { createSqliteClientStore } from './client-store.ts';
import { createSqliteConsentStore } from './consent-store.ts';
import { createSqliteGrantStore } from './grant-store.ts';
import { createSqliteInteractionStore } from './interaction-store.ts';
import { openDatabase } from './open-database.ts';
import { lockDatabaseFile, type ProcessLock } from './process-lock.ts';
import { createSqliteResourceStore } from './resource-store.ts';
import { createSqliteRevocationStore } from './revocation-store.ts';
import { createSqliteSessionStore } from './session-store.ts';
import { createSqliteSignInAttemptStore } from './sign-in-attempt-store.ts';
import { createSqliteSigningKeyStore } from './signing-key-store.ts';
import { createSqliteUserStore } from './user-store.ts';

export interface SqliteStoreOptions {
  /**
   * Take the file's single-process lock (default true), so that a second process opening the file is
   * refused with DatabaseInUseError. Only a second connection inside the process that holds the lock
   * (a worker thread, a test) passes false.
   */
  readonly lock?: boolean;
}

/**
 * Stores in one SQLite file (created with its directory if missing), or `:memory:`. One process serves
 * a file: opening it takes a lock that the process holds until close() or its end (0007). Every atomic
 * operation is a single statement or an IMMEDIATE transaction, so connections in other threads stay safe.
 */
export function openSqliteStores(path: string, options: SqliteStoreOptions = {}): Stores {
  let lock: ProcessLock | undefined;
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    if (options.lock ?? true) lock = lockDatabaseFile(path);
  }
  try {
    const db = openDatabase(path);
    try {
      return {
        clients: createSqliteClientStore(db),
        resources: createSqliteResourceStore(db),
        users: createSqliteUserStore(db),
        grants: createSqliteGrantStore(db),
        revocations: createSqliteRevocationStore(db),
        signingKeys: createSqliteSigningKeyStore(db),
        sessions: createSqliteSessionStore(db),
        interactions: createSqliteInteractionStore(db),
        consents: createSqliteConsentStore(db),
        signInAttempts: createSqliteSignInAttemptStore(db),
        // A closed database throws here, as every other call would.
        async ping() {
          db.prepare('SELECT 1').get();
        },
        // Closing finalizes every prepared statement, so later calls reject instead of touching freed memory.
        async close() {
          if (db.isOpen) db.close();
          lock?.release();
        },
      };
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    lock?.release();
    throw error;
  }
}
