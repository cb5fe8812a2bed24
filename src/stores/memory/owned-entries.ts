import { ConfigurationConflictError, ConfiguredEntryError } from '../errors.ts';
import { indexUnique } from './index-unique.ts';
import { snapshot } from './snapshot.ts';

export interface Owned<T> {
  readonly value: T;
  readonly configured: boolean;
}

/**
 * One aggregate's entries by id, each marked as the configuration file's or the store's (see
 * ClientStore in ../types.ts). Every write builds a new map and swaps it in only once every check has
 * passed, so a rejected write leaves the entries as they were.
 */
export class OwnedEntries<T> {
  readonly #kind: string;
  readonly #remove: string;
  readonly #keyOf: (value: T) => string;
  #entries = new Map<string, Owned<T>>();

  /** `remove` names the store method that removes a stored entry, for the conflict message. */
  constructor(kind: string, remove: string, keyOf: (value: T) => string) {
    this.#kind = kind;
    this.#remove = remove;
    this.#keyOf = keyOf;
  }

  get(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  values(): T[] {
    return [...this.#entries.values()].map((entry) => entry.value);
  }

  isStoreOwned(key: string): boolean {
    return this.#entries.get(key)?.configured === false;
  }

  /** Throws unless the entry under `key`, if any, is the store's. */
  checkStoreOwned(key: string): void {
    if (this.#entries.get(key)?.configured) throw new ConfiguredEntryError(this.#kind, key);
  }

  /** The entries `save` would leave, without applying them. */
  withSaved(value: T): Map<string, Owned<T>> {
    const key = this.#keyOf(value);
    this.checkStoreOwned(key);
    return new Map(this.#entries).set(key, { value: snapshot(value), configured: false });
  }

  remove(key: string): boolean {
    this.checkStoreOwned(key);
    return this.#entries.delete(key);
  }

  /** The entries `syncConfigured…` would leave: the store's as they are, then `list` as the configured ones. */
  withConfigured(list: readonly T[]): Map<string, Owned<T>> {
    const listed = indexUnique(snapshot(list), this.#keyOf, this.#kind);
    const conflicts = [...listed.keys()].filter((key) => this.isStoreOwned(key));
    if (conflicts.length > 0) throw new ConfigurationConflictError(this.#kind, conflicts, this.#remove);
    const next = new Map<string, Owned<T>>();
    for (const [key, entry] of this.#entries) if (!entry.configured) next.set(key, entry);
    for (const [key, value] of listed) next.set(key, { value, configured: true });
    return next;
  }

  replace(entries: Map<string, Owned<T>>): void {
    this.#entries = entries;
  }
}
