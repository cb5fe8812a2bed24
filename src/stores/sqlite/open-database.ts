import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from './schema.ts';

const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    // Set first: switching to WAL and migrating may have to wait for another connection's lock (a worker thread's).
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets token-endpoint reads proceed while another connection writes.
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL in WAL mode may lose the last commits on power loss (https://sqlite.org/pragma.html#pragma_synchronous);
    // a lost grant or signing key is a token that stops working, so pay for an fsync per commit.
    db.exec('PRAGMA synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
