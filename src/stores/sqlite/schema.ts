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
  // Interactive sign-in. Grants gain their token family (what one authorization issued, revoked together
  // on a replay, RFC 9700 §4.14.2); earlier grants belong to none. Sessions, interactions, consents and
  // sign-in attempts get a table each; the fields the stores filter or order on are columns, lists are JSON.
  `
  ALTER TABLE grants ADD COLUMN family_id TEXT;
  CREATE INDEX grants_family ON grants (family_id) WHERE family_id IS NOT NULL;
  CREATE TABLE sessions (
    key TEXT PRIMARY KEY,
    -- The public sid (OIDC Front- and Back-Channel Logout name sessions by it): unique like the key.
    session_id TEXT NOT NULL UNIQUE,
    subject_id TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    amr TEXT NOT NULL,
    acr TEXT,
    -- JSON array, in the order the clients first received tokens (the order logout notifies them).
    client_ids TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    persistent INTEGER NOT NULL CHECK (persistent IN (0, 1)),
    user_agent TEXT,
    ip_address TEXT
  );
  CREATE INDEX sessions_subject ON sessions (subject_id);
  CREATE INDEX sessions_expires_at ON sessions (expires_at);
  CREATE TABLE interactions (
    key TEXT PRIMARY KEY,
    browser_key TEXT NOT NULL,
    client_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER,
    data TEXT NOT NULL
  );
  CREATE INDEX interactions_expires_at ON interactions (expires_at);
  CREATE TABLE consents (
    subject_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- NULL: until revoked, so never removed as expired.
    expires_at INTEGER,
    PRIMARY KEY (subject_id, client_id)
  );
  CREATE INDEX consents_expires_at ON consents (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE sign_in_attempts (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sign_in_attempts_expires_at ON sign_in_attempts (expires_at);
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
