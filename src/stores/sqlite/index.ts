export { openSqliteStores } from './sqlite-stores.ts';
