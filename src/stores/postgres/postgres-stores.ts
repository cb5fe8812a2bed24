import pg from 'pg';
import type { Stores } from '../types.ts';
import { createPostgresClientStore } from './client-store.ts';
import { createPostgresConsentStore } from './consent-store.ts';
import { database } from './database.ts';
import { createPostgresGrantStore } from './grant-store.ts';
import { createPostgresInteractionStore } from './interaction-store.ts';
import { createPostgresResourceStore } from './resource-store.ts';
import { createPostgresRevocationStore } from './revocation-store.ts';
import { migrate } from './schema.ts';
import { createPostgresSessionStore } from './session-store.ts';
import { createPostgresSignInAttemptStore } from './sign-in-attempt-store.ts';
import { createPostgresSigningKeyStore } from './signing-key-store.ts';
import { createPostgresUserStore } from './user-store.ts';

export interface PostgresStoreOptions {
  /** Connections this process opens at most (default 10); requests beyond wait for one to free up. */
  readonly maxConnections?: number;
  /** Milliseconds a statement may run before PostgreSQL cancels it (default 5000), so a stuck query fails instead of hanging a request. */
  readonly statementTimeoutMs?: number;
  /** Milliseconds to wait for a connection, new or from a busy pool (default 5000). */
  readonly connectionTimeoutMs?: number;
  /** Told about a pooled connection that broke while idle (the pool drops it and opens another when needed); default: ignored. */
  readonly onIdleConnectionError?: (error: Error) => void;
}

const INT8_OID = 20;

// BIGINT columns hold epoch milliseconds, far below 2^53, so they read as numbers; pg reads BIGINT as a
// string by default. Set on this pool only: the process-wide parser may belong to the embedding application.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Where the URL points, without its credentials: errors end up in logs. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host || 'the default host'}${parsed.pathname || ''}`;
  } catch {
    return 'the configured URL';
  }
}

/**
 * Stores in a PostgreSQL database (`postgres://user:password@host:port/database?sslmode=…`, read as
 * libpq reads it). Any number of processes may open one database: opening brings the schema up to date
 * under an advisory lock (see schema.ts), and every atomic operation is one conditional statement, so
 * concurrent requests on every node stay exactly-once. Rejects, naming the host but never the password,
 * when the database cannot be reached or migrated.
 */
export async function openPostgresStores(url: string, options: PostgresStoreOptions = {}): Promise<Stores> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    application_name: 'idproo',
    types,
  });
  // Without a listener, an idle connection that breaks (a database restart) would crash the process.
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  const db = database(pool);
  try {
    await migrate(db);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`opening the PostgreSQL store at ${describe(url)} failed: ${(error as Error).message}`, { cause: error });
  }
  let closing: Promise<void> | undefined;
  return {
    clients: createPostgresClientStore(db),
    resources: createPostgresResourceStore(db),
    users: createPostgresUserStore(db),
    grants: createPostgresGrantStore(db),
    revocations: createPostgresRevocationStore(db),
    signingKeys: createPostgresSigningKeyStore(db),
    sessions: createPostgresSessionStore(db),
    interactions: createPostgresInteractionStore(db),
    consents: createPostgresConsentStore(db),
    signInAttempts: createPostgresSignInAttemptStore(db),
    async ping() {
      await db.query('SELECT 1');
    },
    // Waits for statements in flight; every later call rejects (the pool refuses use after end()).
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
