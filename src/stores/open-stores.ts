import { resolve } from 'node:path';
import { createMemoryStores } from './memory/memory-stores.ts';
import { openPostgresStores } from './postgres/postgres-stores.ts';
import { openSqliteStores } from './sqlite/sqlite-stores.ts';
import type { Stores } from './types.ts';

const accepted = 'accepted: "memory:", "sqlite:PATH" (relative to the working directory), "sqlite::memory:" or "postgres://USER:PASSWORD@HOST:PORT/DATABASE"';

/**
 * Opens the stores a configuration's `store` URL names, for serving: a SQLite file is locked to this
 * process until close() (see openSqliteStores); a PostgreSQL database may be shared by many processes. Errors quote only the scheme: a database URL may carry
 * a password, and these messages end up in logs. Asynchronous because a PostgreSQL pool cannot be
 * opened synchronously; every failure is a rejection.
 */
export async function openStores(url: string): Promise<Stores> {
  if (url === 'memory:') return createMemoryStores();
  // libpq's URI forms (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS).
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStores(url);
  if (/^postgres(ql)?:/i.test(url)) throw new Error(`a postgres store URL starts with "postgres://"; ${accepted}`);
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === ':memory:') return openSqliteStores(':memory:');
    // "sqlite://x" would silently resolve to "/x"; make the author pick the plain form.
    if (path === '' || path.startsWith('//')) throw new Error(`sqlite store needs a path, as sqlite:PATH without "//"; ${accepted}`);
    return openSqliteStores(resolve(path));
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
  throw new Error(`${scheme ? `store scheme "${scheme}"` : 'store URL without a scheme'} is not supported; ${accepted}`);
}
