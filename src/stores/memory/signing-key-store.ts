import { DuplicateKeyError } from '../errors.ts';
import type { SigningKeyStore, StoredSigningKey } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { snapshot } from './snapshot.ts';

export function createMemorySigningKeyStore(gate: Gate): SigningKeyStore {
  const keys = new Map<string, StoredSigningKey>();
  return {
    // Oldest first, like the SQLite store, so key rotation sees the same order on either backend.
    async listKeys() {
      checkOpen(gate);
      return [...keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0));
    },
    async addKey(key) {
      checkOpen(gate);
      if (keys.has(key.kid)) throw new DuplicateKeyError('signing key', key.kid);
      keys.set(key.kid, snapshot(key));
    },
    async removeKey(kid) {
      checkOpen(gate);
      keys.delete(kid);
    },
  };
}
