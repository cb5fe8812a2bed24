import type { Database } from './database.ts';

/**
 * Migration i brings the schema from version i to i + 1. Append new migrations; never edit a released
 * one. The PostgreSQL schema starts where the SQLite one is now (its version 3), as one migration:
 * no PostgreSQL database predates it. Times are epoch milliseconds (BIGINT), as in every store; lists
 * and documents are jsonb; opaque payloads (`data`) are text, returned exactly as stored. `seq` keeps
 * insertion order, which SQLite's rowid gives the lists that promise it.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    json JSONB NOT NULL,
    -- Who owns the entry: the file (synced at every start) or the store (docs/decisions/0006).
    origin TEXT NOT NULL CHECK (origin IN ('configuration', 'store')),
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE TABLE resources (
    kind TEXT NOT NULL CHECK (kind IN ('api_scope', 'api_resource', 'identity_resource')),
    name TEXT NOT NULL,
    json JSONB NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('configuration', 'store')),
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (kind, name)
  );
  CREATE TABLE users (
    subject_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    json JSONB NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('configuration', 'store'))
  );
  CREATE TABLE grants (
    key TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    client_id TEXT NOT NULL,
    subject_id TEXT,
    session_id TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT,
    family_id TEXT,
    data TEXT NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  -- The lookups removeGrants and listGrants serve: logout (subject, session), a client's grants, a
  -- family revoked on replay, cleanup.
  CREATE INDEX grants_subject ON grants (subject_id, client_id, type);
  CREATE INDEX grants_session ON grants (session_id);
  CREATE INDEX grants_client ON grants (client_id, type);
  CREATE INDEX grants_family ON grants (family_id) WHERE family_id IS NOT NULL;
  CREATE INDEX grants_expires_at ON grants (expires_at);
  CREATE TABLE revocations (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX revocations_expires_at ON revocations (expires_at);
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE sessions (
    key TEXT PRIMARY KEY,
    -- The public sid (OIDC Front- and Back-Channel Logout name sessions by it): unique like the key.
    session_id TEXT NOT NULL UNIQUE,
    subject_id TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    amr JSONB NOT NULL,
    acr TEXT,
    -- A JSON array, in the order the clients first received tokens (the order logout notifies them).
    client_ids JSONB NOT NULL,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    persistent BOOLEAN NOT NULL,
    user_agent TEXT,
    ip_address TEXT,
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX sessions_subject ON sessions (subject_id);
  CREATE INDEX sessions_expires_at ON sessions (expires_at);
  CREATE TABLE interactions (
    key TEXT PRIMARY KEY,
    browser_key TEXT NOT NULL,
    client_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT,
    data TEXT NOT NULL
  );
  CREATE INDEX interactions_expires_at ON interactions (expires_at);
  CREATE TABLE consents (
    subject_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scopes JSONB NOT NULL,
    created_at BIGINT NOT NULL,
    -- NULL: until revoked, so never removed as expired.
    expires_at BIGINT,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (subject_id, client_id)
  );
  CREATE INDEX consents_expires_at ON consents (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE sign_in_attempts (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sign_in_attempts_expires_at ON sign_in_attempts (expires_at);
  `,
];

export const schemaVersion = migrations.length;

/** The tables the stores own, for whoever must empty them (tests) or back them up. */
export const tables = ['clients', 'resources', 'users', 'grants', 'revocations', 'signing_keys', 'sessions', 'interactions', 'consents', 'sign_in_attempts'] as const;

// One constant key for every IdProo database: advisory locks are per database, so two IdProo databases
// on one server never wait for each other. (The bytes of "idproo" as a number.)
const MIGRATION_LOCK = 0x696470726f6f;

/**
 * Brings the schema up to date in one transaction. Every node runs this at start: the transaction-scoped
 * advisory lock makes concurrent starts take turns (the later ones find nothing left to do), and
 * PostgreSQL's transactional DDL means a migration that fails leaves the schema exactly as it was.
 */
export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS idproo_schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const { rows } = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM idproo_schema_migrations');
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) {
      throw new Error(`database schema version ${version} is newer than this IdProo supports (${migrations.length}); upgrade IdProo`);
    }
    for (let next = version; next < migrations.length; next++) {
      await tx.script(migrations[next]!);
      await tx.query('INSERT INTO idproo_schema_migrations (version, applied_at) VALUES ($1, $2)', [next + 1, Date.now()]);
    }
  });
}
