export { openPostgresStores, type PostgresStoreOptions } from './postgres-stores.ts';
