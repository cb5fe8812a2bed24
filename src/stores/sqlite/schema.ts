import type { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from './transaction.ts';

/**
 * Migration i brings the schema from version i to i + 1; the version lives in PRAGMA user_version,
 * which is part of the database header and so commits or rolls back with the migration itself.
 * Append new migrations; never edit a released one.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY,
    json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL CHECK (kind IN ('api_scope', 'api_resource', 'identity_resource')),
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (kind, name)
  );
  CREATE TABLE IF NOT EXISTS users (
    subject_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS grants (
    key TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    client_id TEXT NOT NULL,
    subject_id TEXT,
    session_id TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER,
    data TEXT NOT NULL
  );
  -- The lookups removeGrants serves: logout (subject, session), revoking a client's grants, cleanup.
  CREATE INDEX IF NOT EXISTS grants_subject ON grants (subject_id, client_id, type);
  CREATE INDEX IF NOT EXISTS grants_session ON grants (session_id);
  CREATE INDEX IF NOT EXISTS grants_client ON grants (client_id, type);
  CREATE INDEX IF NOT EXISTS grants_expires_at ON grants (expires_at);
  CREATE TABLE IF NOT EXISTS revocations (
    jti TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS revocations_expires_at ON revocations (expires_at);
  CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  `,
  // Who owns each configuration entry: the file ('configuration', synced at every start) or the store
  // ('store', written by an admin API or registration, never touched by the file). Every row before this
  // migration was written by the start-up sync, so it is the file's (docs/decisions/0006).
  `
  ALTER TABLE clients ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
  ALTER TABLE resources ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
  ALTER TABLE users ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
  `,
];

/** Brings the schema up to date; two processes starting together serialise on the write lock. */
export function migrate(db: DatabaseSync): void {
  immediateTransaction(db, () => {
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > migrations.length) {
      throw new Error(`database schema version ${version} is newer than this IdProo supports (${migrations.length}); upgrade IdProo`);
    }
    for (const migration of migrations.slice(version)) db.exec(migration);
    if (version < migrations.length) db.exec(`PRAGMA user_version = ${migrations.length}`);
  });
}
