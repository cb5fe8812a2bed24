/** Who owns a configuration row (see ClientStore in ../types.ts): the file, or writes through the store. */
export type OriginRow = { origin: 'configuration' | 'store' };
