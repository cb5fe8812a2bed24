export { openSqliteStores, type SqliteStoreOptions } from './sqlite-stores.ts';
