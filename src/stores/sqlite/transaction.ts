import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in one write transaction. IMMEDIATE takes the write lock up front, so a busy database
 * waits out busy_timeout; a deferred transaction that later upgrades to a writer fails at once with
 * SQLITE_BUSY in WAL mode (https://sqlite.org/lang_transaction.html#deferred_immediate_and_exclusive_transactions).
 */
export function immediateTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // SQLite may already have rolled back by itself (e.g. on SQLITE_FULL); a second ROLLBACK would throw.
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
