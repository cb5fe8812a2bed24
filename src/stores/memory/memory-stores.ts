import type { Stores } from '../types.ts';
import { createMemoryClientStore } from './client-store.ts';
import type { Gate } from './gate.ts';
import { createMemoryGrantStore } from './grant-store.ts';
import { createMemorySigningKeyStore } from './signing-key-store.ts';
import { createMemoryResourceStore } from './resource-store.ts';
import { createMemoryRevocationStore } from './revocation-store.ts';
import { createMemoryUserStore } from './user-store.ts';

/** Process-local stores for tests and single-instance development; everything is lost on exit. */
export function createMemoryStores(): Stores {
  const gate: Gate = { open: true };
  return {
    clients: createMemoryClientStore(gate),
    resources: createMemoryResourceStore(gate),
    users: createMemoryUserStore(gate),
    grants: createMemoryGrantStore(gate),
    revocations: createMemoryRevocationStore(gate),
    signingKeys: createMemorySigningKeyStore(gate),
    async close() {
      gate.open = false;
    },
  };
}
