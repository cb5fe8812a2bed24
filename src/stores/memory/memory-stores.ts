import type { Stores } from '../types.ts';
import { createMemoryClientStore } from './client-store.ts';
import { checkOpen, type Gate } from './gate.ts';
import { createMemoryGrantStore } from './grant-store.ts';
import { createMemorySigningKeyStore } from './signing-key-store.ts';
import { createMemoryResourceStore } from './resource-store.ts';
import { createMemoryRevocationStore } from './revocation-store.ts';
import { createMemoryUserStore } from './user-store.ts';
import { createMemorySessionStore } from './session-store.ts';
import { createMemoryInteractionStore } from './interaction-store.ts';
import { createMemoryConsentStore } from './consent-store.ts';
import { createMemorySignInAttemptStore } from './sign-in-attempt-store.ts';

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
    sessions: createMemorySessionStore(gate),
    interactions: createMemoryInteractionStore(gate),
    consents: createMemoryConsentStore(gate),
    signInAttempts: createMemorySignInAttemptStore(gate),
    async ping() {
      checkOpen(gate);
    },
    async close() {
      gate.open = false;
    },
  };
}
