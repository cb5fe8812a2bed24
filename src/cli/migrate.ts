import { openStores } from '../stores/open-stores.ts';

/** Where a store URL points, without credentials: the line ends up in deployment logs. */
function where(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

/**
 * Brings the schema of the database `url` names up to date and closes it: opening the stores runs the
 * pending migrations (under an advisory lock on PostgreSQL, so nodes starting at the same time wait;
 * a SQLite file in use by a running server is refused). Resolves with the line to print.
 */
export async function migrateDatabase(url: string): Promise<string> {
  const stores = await openStores(url);
  await stores.close();
  return `${where(url)}: the schema is up to date`;
}
