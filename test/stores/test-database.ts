import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth), or IDPROO_TEST_POSTGRES_URL.
 * Each test run creates databases of its own there and drops them after, so runs never see each
 * other's rows.
 */
export const adminUrl = process.env['IDPROO_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const where = new URL(adminUrl).host;

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String((error as { code?: unknown }).code ?? error);
  } finally {
    await client.end().catch(() => {});
  }
}

const unreachable = await probe();
const why = unreachable && `PostgreSQL at ${where} is unreachable (${unreachable}): start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set IDPROO_TEST_POSTGRES_URL`;

/**
 * Where PostgreSQL is missing, why the tests that need it are skipped; false when they run. In CI
 * (.ci/run sets CI and starts PostgreSQL) they always run, and createTestDatabase fails loudly instead.
 */
export const noPostgres: string | false = !process.env['CI'] && why ? why : false;

export interface TestDatabase {
  /** A URL to the new, empty database. */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `idproo_test_<random>`. Rejects with how to start PostgreSQL when it is unreachable (in CI, a failure, never a skip). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (why) throw new Error(`${why}; CI requires PostgreSQL for these tests`);
  const name = `idproo_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
