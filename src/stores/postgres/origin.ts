import type { Queryable } from './database.ts';

/** Who owns a configuration row (see ClientStore in ../types.ts): the file, or writes through the store. */
export type Origin = 'configuration' | 'store';

/**
 * Locks `table` against every other writer until the transaction ends, readers still served. A sync
 * checks which listed ids the store owns, then rewrites the file's rows: without the lock a concurrent
 * save (or a second node's sync at start) could slip between the two. SHARE ROW EXCLUSIVE conflicts
 * with itself and with every row write (https://www.postgresql.org/docs/current/explicit-locking.html).
 */
export async function lockForSync(tx: Queryable, table: 'clients' | 'resources' | 'users'): Promise<void> {
  await tx.script(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
}
