export type * from './types.ts';
export { ConfigurationConflictError, ConfiguredEntryError, DatabaseInUseError, DuplicateKeyError } from './errors.ts';
export { createMemoryStores } from './memory/index.ts';
export { openSqliteStores, type SqliteStoreOptions } from './sqlite/index.ts';
export { openPostgresStores, type PostgresStoreOptions } from './postgres/index.ts';
export { openStores } from './open-stores.ts';
