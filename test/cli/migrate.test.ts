import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, noPostgres } from '../stores/test-database.ts';
import { cliEnv, killRemaining, spawnCli } from '../support/cli-process.ts';

async function run(args: readonly string[], env = cliEnv()) {
  const cli = spawnCli(args, { env });
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

describe('idproo migrate', { concurrency: true }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'idproo-migrate-'));
  after(() => {
    killRemaining();
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings a SQLite file up to date, creating it, and exits 0; a second run changes nothing and exits 0', async () => {
    const file = join(dir, 'data', 'idproo.db');
    for (let i = 0; i < 2; i++) {
      const result = await run(['migrate', '--db', `sqlite:${file}`]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `sqlite:${file}: the schema is up to date\n`);
    }
    const db = new DatabaseSync(file);
    try {
      assert.ok((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version > 0);
      assert.ok(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'grants'`).get());
    } finally {
      db.close();
    }
  });

  it('reads the database from IDPROO_DB when --db is not given', async () => {
    const file = join(dir, 'from-env.db');
    const result = await run(['migrate'], cliEnv({ IDPROO_DB: `sqlite:${file}` }));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `sqlite:${file}: the schema is up to date\n`);
  });

  it('brings a PostgreSQL database up to date and exits 0, naming the database without its password', { skip: noPostgres }, async () => {
    const database = await createTestDatabase();
    try {
      const url = new URL(database.url);
      url.password = 'not-shown';
      // trust authentication ignores the password; the output must not repeat it.
      const result = await run(['migrate', '--db', url.href]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `postgres://${url.host}${url.pathname}: the schema is up to date\n`);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>('SELECT max(version) AS version FROM idproo_schema_migrations');
        assert.ok(rows[0]!.version > 0);
      } finally {
        await client.end();
      }
      assert.equal((await run(['migrate', '--db', database.url])).code, 0);
    } finally {
      await database.drop();
    }
  });

  it('exits 1 naming the host but not the password when the PostgreSQL server is unreachable', async () => {
    const result = await run(['migrate', '--db', 'postgres://idproo:s3cret@127.0.0.1:1/idproo']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /127\.0\.0\.1:1\/idproo/);
    assert.doesNotMatch(result.stderr, /s3cret/);
  });

  it('exits 2 for memory:, which has no schema, and for an unknown option', async () => {
    assert.equal((await run(['migrate', '--db', 'memory:'])).code, 2);
    assert.equal((await run(['migrate', '--dbx', 'x'])).code, 2);
  });
});
