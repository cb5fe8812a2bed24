import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { reachable } from './unavailable.ts';

export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** What runs statements: the pool, or one connection inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements, without parameters (the simple query protocol): migrations. */
  script(text: string): Promise<void>;
}

export interface Database extends Queryable {
  /**
   * Runs `work` on one connection between BEGIN and COMMIT; any rejection rolls everything back. Only
   * for what one statement cannot do (migrations, syncConfigured…): every single-use operation is one
   * conditional statement instead, which needs no transaction and costs one round trip.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

const names = new Map<string, string>();

// A named statement is parsed and planned once per connection, then reused (the SQLite stores prepare
// theirs once too). The name derives from the text, so one name never stands for two texts.
function named(text: string, values: readonly unknown[] | undefined) {
  let name = names.get(text);
  if (name === undefined) {
    name = `idproo_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values: values === undefined ? [] : [...values] };
}

function queryable(target: Pool | PoolClient): Queryable {
  return {
    async query<R extends QueryResultRow>(text: string, values?: readonly unknown[]) {
      const result = await reachable(() => target.query<R>(named(text, values)));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async script(text) {
      await reachable(() => target.query(text));
    },
  };
}

export function database(pool: Pool): Database {
  return {
    ...queryable(pool),
    async transaction(work) {
      const client = await reachable(() => pool.connect());
      let broken: Error | undefined;
      try {
        await reachable(() => client.query('BEGIN'));
        const result = await work(queryable(client));
        await reachable(() => client.query('COMMIT'));
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool rather than reused mid-transaction.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
