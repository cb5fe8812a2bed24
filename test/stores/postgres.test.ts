import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStores } from '../../src/stores/postgres/postgres-stores.ts';
import { schemaVersion, tables } from '../../src/stores/postgres/schema.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from './test-database.ts';
import { runStoreContract } from './contract.ts';
import { NOW, fullClient, grant, minimalClient, session, signingKey, user } from './fixtures.ts';

const postgresStoresModule = new URL('../../src/stores/postgres/postgres-stores.ts', import.meta.url).href;

describe('postgres', { skip: noPostgres }, () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  before(async () => {
    database = await createTestDatabase();
    admin = new pg.Pool({ connectionString: database.url, max: 1 });
  });
  after(async () => {
    await admin?.end();
    await database?.drop();
  });

  // One database for the run; every test starts from empty tables. The worker threads of the races
  // open their own pools, as other nodes would.
  runStoreContract(
    'postgres',
    async () => {
      const stores = await openPostgresStores(database.url);
      await admin.query(`TRUNCATE ${tables.join(', ')}`);
      return { stores, connection: { module: postgresStoresModule, name: 'openPostgresStores', args: [database.url, { maxConnections: 1 }] } };
    },
    { sharedAcrossThreads: true },
  );

  describe('postgres stores on a server', () => {
    /** Runs `work` against a database of its own, dropped after. */
    async function withFreshDatabase(work: (url: string, sql: (text: string) => Promise<pg.QueryResult>) => Promise<void>): Promise<void> {
      const fresh = await createTestDatabase();
      const pool = new pg.Pool({ connectionString: fresh.url, max: 1 });
      try {
        await work(fresh.url, (text) => pool.query(text));
      } finally {
        await pool.end();
        await fresh.drop();
      }
    }

    it('migrates once when several nodes open a new database at the same instant', async () => {
      await withFreshDatabase(async (url, sql) => {
        const nodes = await Promise.all(Array.from({ length: 6 }, () => openPostgresStores(url, { maxConnections: 2 })));
        await nodes[0]!.clients.saveClient(minimalClient('a'));
        assert.deepEqual(await nodes[5]!.clients.findClientById('a'), minimalClient('a'));
        await Promise.all(nodes.map((stores) => stores.close()));
        const { rows } = await sql('SELECT version FROM idproo_schema_migrations ORDER BY version');
        assert.deepEqual(rows.map((row) => row.version), Array.from({ length: schemaVersion }, (_, i) => i + 1));
      });
    });

    it('leaves the schema as it was when a migration fails', async () => {
      await withFreshDatabase(async (url, sql) => {
        // A table in the way makes the first migration fail halfway, after it has created others.
        await sql('CREATE TABLE sessions (unrelated INTEGER)');
        await assert.rejects(openPostgresStores(url), /opening the PostgreSQL store at .* failed: relation "sessions" already exists/);
        const { rows } = await sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
        assert.deepEqual(rows.map((row) => row.table_name), ['sessions']);
      });
    });

    it('refuses a database written by a newer schema', async () => {
      await withFreshDatabase(async (url, sql) => {
        await (await openPostgresStores(url)).close();
        await sql(`INSERT INTO idproo_schema_migrations (version, applied_at) VALUES (99, 0)`);
        await assert.rejects(openPostgresStores(url), /schema version 99 is newer than this IdProo supports/);
      });
    });

    it('keeps everything across close and reopen', async () => {
      await withFreshDatabase(async (url) => {
        const g = grant();
        const s = session();
        const first = await openPostgresStores(url);
        await first.clients.syncConfiguredClients([fullClient('a')]);
        await first.users.saveUser(user('2', 'bob'));
        await first.grants.storeGrant(g);
        await first.signingKeys.addKey(signingKey('k1'));
        await first.sessions.createSession(s);
        await first.close();
        const second = await openPostgresStores(url);
        try {
          assert.deepEqual(await second.clients.listClients(), [fullClient('a')]);
          assert.deepEqual(await second.users.findUserByUsername('bob'), user('2', 'bob'));
          assert.deepEqual(await second.grants.getGrant(g.key), g);
          assert.deepEqual(await second.signingKeys.listKeys(), [signingKey('k1')]);
          assert.deepEqual(await second.sessions.findSession(s.key, NOW), s);
        } finally {
          await second.close();
        }
      });
    });

    it('fails a statement that waits longer than the statement timeout instead of hanging', async () => {
      const stores = await openPostgresStores(database.url, { statementTimeoutMs: 200 });
      const blocker = await admin.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE clients IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        await assert.rejects(stores.clients.findClientById('a'), /statement timeout/);
        assert.ok(Date.now() - started < 3_000);
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
        await stores.close();
      }
      // Only that statement failed: the store serves again once the lock is gone.
      const again = await openPostgresStores(database.url, { statementTimeoutMs: 200 });
      assert.equal(await again.clients.findClientById('a'), undefined);
      await again.close();
    });

    it('says which server it cannot reach, never the password', async () => {
      await assert.rejects(openPostgresStores('postgres://app:s3cret@127.0.0.1:1/idproo', { connectionTimeoutMs: 1_000 }), (error: Error) => {
        assert.match(error.message, /opening the PostgreSQL store at 127\.0\.0\.1:1\/idproo failed: .*ECONNREFUSED/);
        assert.ok(!error.message.includes('s3cret'));
        return true;
      });
    });
  });
});
