export type * from './types.ts';
export { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from './errors.ts';
export { createMemoryStores } from './memory/index.ts';
export { openSqliteStores } from './sqlite/index.ts';
export { openStores } from './open-stores.ts';
