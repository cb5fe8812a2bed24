import { DatabaseSync } from 'node:sqlite';
import { DatabaseInUseError } from '../errors.ts';

// https://sqlite.org/rescode.html#busy
const SQLITE_BUSY = 5;

export interface ProcessLock {
  release(): void;
}

/**
 * Takes the single-process lock of the database at `path`: an exclusive SQLite lock on `<path>.lock`,
 * held by one connection until release(). SQLite locks with POSIX advisory locks, which the kernel drops
 * when the process ends however it ends, so a crash leaves no stale lock; the file itself stays and
 * means nothing while no process holds it. Connections in the same process share SQLite's lock state,
 * so a second lock from this process (another thread, too) is refused the same way.
 * (docs/decisions/0007-one-process-per-sqlite-file.md)
 */
export function lockDatabaseFile(path: string): ProcessLock {
  const lockFile = `${path}.lock`;
  const db = new DatabaseSync(lockFile);
  try {
    // Refuse at once rather than wait: the holder keeps the lock for as long as it serves.
    db.exec('PRAGMA busy_timeout = 0');
    // No journal file next to the lock file: this database never holds data.
    db.exec('PRAGMA journal_mode = MEMORY');
    // In EXCLUSIVE locking mode a connection keeps the locks it took until it closes
    // (https://sqlite.org/pragma.html#pragma_locking_mode); BEGIN EXCLUSIVE takes the strongest one.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if ((error as { errcode?: unknown }).errcode === SQLITE_BUSY) throw new DatabaseInUseError(path, lockFile, { cause: error });
    throw error;
  }
  return {
    release() {
      if (db.isOpen) db.close();
    },
  };
}
