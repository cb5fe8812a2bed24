import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Stores } from '../../src/stores/types.ts';
import { clientStoreCases } from './contract/client-store.ts';
import { consentStoreCases } from './contract/consent-store.ts';
import { grantStoreCases } from './contract/grant-store.ts';
import { interactionStoreCases } from './contract/interaction-store.ts';
import type { ThreadConnection } from './contract/race-in-threads.ts';
import { resourceStoreCases } from './contract/resource-store.ts';
import { revocationStoreCases } from './contract/revocation-store.ts';
import { sessionStoreCases } from './contract/session-store.ts';
import { signInAttemptStoreCases } from './contract/sign-in-attempt-store.ts';
import { signingKeyStoreCases } from './contract/signing-key-store.ts';
import { userStoreCases } from './contract/user-store.ts';
import { NOW, consent, grant, interaction, minimalClient, session, user } from './fixtures.ts';

export type { ThreadConnection };

export interface StoresUnderTest {
  readonly stores: Stores;
  /** How another thread opens its own connection to the same data; required with `sharedAcrossThreads`. */
  readonly connection?: ThreadConnection;
}

/**
 * The behaviour every Stores backend must share. `open` returns fresh, empty stores for each test;
 * they are closed afterwards (so close() must tolerate a second call). A backend whose data other
 * threads (and so other processes) can reach sets `sharedAcrossThreads` and gives a `connection`: the
 * atomicity cases then race real connections in parallel, not just calls interleaved in one thread.
 */
export function runStoreContract(
  name: string,
  open: () => Promise<StoresUnderTest> | StoresUnderTest,
  options: { readonly sharedAcrossThreads?: boolean } = {},
): void {
  describe(`${name} stores`, () => {
    let stores: Stores;
    let connection: ThreadConnection | undefined;
    beforeEach(async () => {
      ({ stores, connection } = await open());
    });
    afterEach(async () => {
      await stores.close();
    });
    const current = () => stores;
    const connectionOf = options.sharedAcrossThreads ? () => connection : undefined;

    clientStoreCases(current);
    resourceStoreCases(current);
    userStoreCases(current);
    grantStoreCases(current, connectionOf);
    revocationStoreCases(current);
    signingKeyStoreCases(current);
    sessionStoreCases(current, connectionOf);
    interactionStoreCases(current, connectionOf);
    consentStoreCases(current);
    signInAttemptStoreCases(current, connectionOf);

    describe('ping', () => {
      it('resolves while the stores are open, and rejects once they are closed', async () => {
        await stores.ping();
        await stores.close();
        await assert.rejects(stores.ping());
      });
    });

    describe('close', () => {
      it('makes every store reject, and may be called twice', async () => {
        await stores.close();
        await stores.close();
        await assert.rejects(stores.clients.findClientById('a'));
        await assert.rejects(stores.clients.saveClient(minimalClient('a')));
        await assert.rejects(stores.clients.syncConfiguredClients([]));
        await assert.rejects(stores.resources.saveResource('apiScope', { name: 's', enabled: true, userClaims: [] }));
        await assert.rejects(stores.users.saveUser(user('1')));
        await assert.rejects(stores.grants.storeGrant(grant()));
        await assert.rejects(stores.resources.getAllResources());
        await assert.rejects(stores.users.findUserByUsername('alice'));
        await assert.rejects(stores.grants.getGrant('k'));
        await assert.rejects(stores.grants.consumeGrant('k', NOW));
        await assert.rejects(stores.grants.rotateGrant('k', grant(), NOW));
        await assert.rejects(stores.revocations.isTokenRevoked('j'));
        await assert.rejects(stores.signingKeys.listKeys());
        await assert.rejects(stores.grants.listGrants({ clientId: 'a' }));
        await assert.rejects(stores.sessions.createSession(session()));
        await assert.rejects(stores.sessions.findSession('k', NOW));
        await assert.rejects(stores.sessions.touchSession('k', { lastActivityAt: NOW }, NOW));
        await assert.rejects(stores.sessions.listSessions({ subjectId: 'alice' }, NOW));
        await assert.rejects(stores.sessions.removeExpiredSessions(NOW, 1));
        await assert.rejects(stores.interactions.createInteraction(interaction()));
        await assert.rejects(stores.interactions.findInteraction('k'));
        await assert.rejects(stores.interactions.updateInteraction('k', '{}', NOW));
        await assert.rejects(stores.interactions.consumeInteraction('k', NOW));
        await assert.rejects(stores.consents.saveConsent(consent()));
        await assert.rejects(stores.consents.findConsent('alice', 'client-a', NOW));
        await assert.rejects(stores.consents.listConsents('alice', NOW));
        await assert.rejects(stores.signInAttempts.recordFailure('alice', NOW, 1000));
        await assert.rejects(stores.signInAttempts.getAttempts('alice', NOW));
        await assert.rejects(stores.signInAttempts.resetAttempts('alice'));
      });
    });
  });
}
