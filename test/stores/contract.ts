import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DuplicateKeyError } from '../../src/stores/errors.ts';
import type { Client, GrantFilter, PersistedGrant, Stores } from '../../src/stores/types.ts';
import {
  NOW,
  apiResource,
  fullClient,
  grant,
  minimalClient,
  minimalGrant,
  resources,
  signingKey,
  user,
} from './fixtures.ts';

const byKid = (a: { kid: string }, b: { kid: string }) => (a.kid < b.kid ? -1 : 1);
const byClientId = (a: Client, b: Client) => (a.clientId < b.clientId ? -1 : 1);

/** Mutates whatever it can reach; frozen results throw, which is as good as a copy. */
function tryToMutate(value: unknown): void {
  try {
    const target = value as Record<string, unknown>;
    for (const [field, child] of Object.entries(target)) {
      if (Array.isArray(child)) child.push('tampered');
      else if (typeof child === 'object' && child !== null) tryToMutate(child);
      else target[field] = 'tampered';
    }
  } catch {
    // A frozen object refused the write: the store is protected.
  }
}

/**
 * The behaviour every Stores backend must share. `open` returns fresh, empty stores for each test;
 * they are closed afterwards (so close() must tolerate a second call).
 */
export function runStoreContract(name: string, open: () => Promise<Stores> | Stores): void {
  describe(`${name} stores`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await open();
    });
    afterEach(async () => {
      await stores.close();
    });

    describe('ClientStore', () => {
      it('starts empty', async () => {
        assert.equal(await stores.clients.findClientById('nope'), undefined);
        assert.deepEqual(await stores.clients.listClients(), []);
      });

      it('round-trips every field, with optional fields present and absent', async () => {
        const full = fullClient('full');
        const minimal = minimalClient('minimal');
        await stores.clients.replaceClients([full, minimal]);
        assert.deepEqual(await stores.clients.findClientById('full'), full);
        assert.deepEqual(await stores.clients.findClientById('minimal'), minimal);
        assert.deepEqual((await stores.clients.listClients()).sort(byClientId), [full, minimal]);
      });

      it('returns an optional field set to undefined as absent', async () => {
        await stores.clients.replaceClients([{ ...minimalClient('c'), clientName: undefined }]);
        const found = await stores.clients.findClientById('c');
        assert.deepEqual(found, minimalClient('c'));
        assert.ok(!('clientName' in found!));
      });

      it('replaces every client', async () => {
        await stores.clients.replaceClients([fullClient('a'), fullClient('b')]);
        await stores.clients.replaceClients([minimalClient('c')]);
        assert.equal(await stores.clients.findClientById('a'), undefined);
        assert.equal(await stores.clients.findClientById('b'), undefined);
        assert.deepEqual(await stores.clients.listClients(), [minimalClient('c')]);
        await stores.clients.replaceClients([]);
        assert.deepEqual(await stores.clients.listClients(), []);
      });

      it('rejects duplicate ids and keeps the previous clients', async () => {
        await stores.clients.replaceClients([fullClient('a')]);
        await assert.rejects(stores.clients.replaceClients([fullClient('b'), minimalClient('b')]), DuplicateKeyError);
        assert.deepEqual(await stores.clients.listClients(), [fullClient('a')]);
      });

      it('cannot be changed through its inputs or results', async () => {
        const input = fullClient('a');
        await stores.clients.replaceClients([input]);
        (input.redirectUris as string[]).push('https://evil.example/');
        tryToMutate(await stores.clients.findClientById('a'));
        tryToMutate(await stores.clients.listClients());
        assert.deepEqual(await stores.clients.findClientById('a'), fullClient('a'));
      });
    });

    describe('ResourceStore', () => {
      it('starts empty', async () => {
        assert.deepEqual(await stores.resources.getAllResources(), { apiScopes: [], apiResources: [], identityResources: [] });
        assert.equal(await stores.resources.findApiResourceByName('api1'), undefined);
      });

      it('round-trips every field, with optional fields present and absent', async () => {
        await stores.resources.replaceResources(resources());
        assert.deepEqual(await stores.resources.getAllResources(), resources());
        assert.deepEqual(await stores.resources.findApiResourceByName('api1'), apiResource('api1'));
        assert.deepEqual(await stores.resources.findApiResourceByName('api2'), resources().apiResources[1]);
      });

      it('finds only API resources by name', async () => {
        await stores.resources.replaceResources(resources());
        assert.equal(await stores.resources.findApiResourceByName('api1.read'), undefined);
        assert.equal(await stores.resources.findApiResourceByName('openid'), undefined);
      });

      it('replaces every resource', async () => {
        await stores.resources.replaceResources(resources());
        const next = { apiScopes: [], apiResources: [apiResource('api3')], identityResources: [] };
        await stores.resources.replaceResources(next);
        assert.deepEqual(await stores.resources.getAllResources(), next);
        assert.equal(await stores.resources.findApiResourceByName('api1'), undefined);
      });

      it('rejects a duplicate name within a kind and keeps the previous resources', async () => {
        await stores.resources.replaceResources(resources());
        const duplicate = { ...resources(), apiResources: [apiResource('x'), apiResource('x')] };
        await assert.rejects(stores.resources.replaceResources(duplicate), DuplicateKeyError);
        assert.deepEqual(await stores.resources.getAllResources(), resources());
      });

      it('allows the same name in different kinds', async () => {
        const shared = {
          apiScopes: [{ name: 'shared', enabled: true, userClaims: [] }],
          apiResources: [{ ...apiResource('api1'), name: 'shared' }],
          identityResources: [{ name: 'shared', enabled: true, userClaims: [] }],
        };
        await stores.resources.replaceResources(shared);
        assert.deepEqual(await stores.resources.getAllResources(), shared);
      });

      it('cannot be changed through its results', async () => {
        await stores.resources.replaceResources(resources());
        tryToMutate(await stores.resources.getAllResources());
        tryToMutate(await stores.resources.findApiResourceByName('api1'));
        assert.deepEqual(await stores.resources.getAllResources(), resources());
      });
    });

    describe('UserStore', () => {
      it('finds nothing for unknown users', async () => {
        assert.equal(await stores.users.findUserBySubjectId('nope'), undefined);
        assert.equal(await stores.users.findUserByUsername('nope'), undefined);
      });

      it('round-trips every field and every kind of claim value', async () => {
        await stores.users.replaceUsers([user('1', 'alice'), user('2', 'bob')]);
        assert.deepEqual(await stores.users.findUserBySubjectId('1'), user('1', 'alice'));
        assert.deepEqual(await stores.users.findUserByUsername('bob'), user('2', 'bob'));
      });

      it('replaces every user', async () => {
        await stores.users.replaceUsers([user('1', 'alice')]);
        await stores.users.replaceUsers([user('2', 'bob')]);
        assert.equal(await stores.users.findUserBySubjectId('1'), undefined);
        assert.equal(await stores.users.findUserByUsername('alice'), undefined);
        assert.deepEqual(await stores.users.findUserBySubjectId('2'), user('2', 'bob'));
      });

      it('rejects a duplicate subjectId or username and keeps the previous users', async () => {
        await stores.users.replaceUsers([user('1', 'alice')]);
        await assert.rejects(stores.users.replaceUsers([user('2', 'bob'), user('2', 'carol')]), DuplicateKeyError);
        await assert.rejects(stores.users.replaceUsers([user('2', 'bob'), user('3', 'bob')]), DuplicateKeyError);
        assert.deepEqual(await stores.users.findUserByUsername('alice'), user('1', 'alice'));
        assert.equal(await stores.users.findUserBySubjectId('2'), undefined);
      });

      it('cannot be changed through its results', async () => {
        await stores.users.replaceUsers([user('1', 'alice')]);
        tryToMutate(await stores.users.findUserBySubjectId('1'));
        assert.deepEqual(await stores.users.findUserByUsername('alice'), user('1', 'alice'));
      });
    });

    describe('GrantStore', () => {
      it('round-trips every field, with optional fields present and absent', async () => {
        const full = grant({ consumedAt: NOW - 1 });
        const minimal = minimalGrant();
        await stores.grants.storeGrant(full);
        await stores.grants.storeGrant(minimal);
        assert.deepEqual(await stores.grants.getGrant(full.key), full);
        const found = await stores.grants.getGrant(minimal.key);
        assert.deepEqual(found, minimal);
        assert.ok(!('subjectId' in found!) && !('sessionId' in found) && !('consumedAt' in found));
      });

      it('returns undefined for an unknown key', async () => {
        assert.equal(await stores.grants.getGrant('unknown'), undefined);
      });

      it('rejects a duplicate key and keeps the original', async () => {
        const original = grant();
        await stores.grants.storeGrant(original);
        await assert.rejects(stores.grants.storeGrant(grant({ key: original.key, clientId: 'other' })), DuplicateKeyError);
        assert.deepEqual(await stores.grants.getGrant(original.key), original);
      });

      it('removes a single grant and returns it', async () => {
        const g = grant();
        await stores.grants.storeGrant(g);
        assert.deepEqual(await stores.grants.removeGrant(g.key), g);
        assert.equal(await stores.grants.getGrant(g.key), undefined);
        assert.equal(await stores.grants.removeGrant(g.key), undefined);
      });

      it('cannot be changed through its results', async () => {
        const g = grant();
        await stores.grants.storeGrant(g);
        tryToMutate(await stores.grants.getGrant(g.key));
        assert.deepEqual(await stores.grants.getGrant(g.key), g);
      });

      describe('consumeGrant', () => {
        it('succeeds once, returning the grant as it was before', async () => {
          const g = grant();
          await stores.grants.storeGrant(g);
          const consumed = await stores.grants.consumeGrant(g.key, NOW);
          assert.deepEqual(consumed, g);
          assert.ok(!('consumedAt' in consumed!));
          assert.deepEqual(await stores.grants.getGrant(g.key), { ...g, consumedAt: NOW });
          assert.equal(await stores.grants.consumeGrant(g.key, NOW + 1), undefined);
          assert.equal((await stores.grants.getGrant(g.key))?.consumedAt, NOW);
        });

        it('refuses an unknown key', async () => {
          assert.equal(await stores.grants.consumeGrant('unknown', NOW), undefined);
        });

        it('refuses an expired grant, including one expiring exactly now, and leaves it unconsumed', async () => {
          const expired = grant({ expiresAt: NOW - 1 });
          const expiring = grant({ expiresAt: NOW });
          await stores.grants.storeGrant(expired);
          await stores.grants.storeGrant(expiring);
          assert.equal(await stores.grants.consumeGrant(expired.key, NOW), undefined);
          assert.equal(await stores.grants.consumeGrant(expiring.key, NOW), undefined);
          assert.deepEqual(await stores.grants.getGrant(expired.key), expired);
          assert.deepEqual(await stores.grants.getGrant(expiring.key), expiring);
        });

        it('refuses a grant stored already consumed', async () => {
          const g = grant({ consumedAt: NOW - 10 });
          await stores.grants.storeGrant(g);
          assert.equal(await stores.grants.consumeGrant(g.key, NOW), undefined);
          assert.deepEqual(await stores.grants.getGrant(g.key), g);
        });

        it('lets exactly one of 20 concurrent calls win', async () => {
          const g = grant();
          await stores.grants.storeGrant(g);
          const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores.grants.consumeGrant(g.key, NOW + i)));
          const winners = results.filter((r) => r !== undefined);
          assert.equal(winners.length, 1);
          assert.deepEqual(winners[0], g);
        });
      });

      describe('removeGrants', () => {
        // Keys name the grants so failures read well.
        const matrix: readonly PersistedGrant[] = [
          grant({ key: 'A-s1-x-code', clientId: 'A', subjectId: 's1', sessionId: 'x', type: 'authorization_code' }),
          grant({ key: 'A-s1-y-refresh', clientId: 'A', subjectId: 's1', sessionId: 'y', type: 'refresh_token' }),
          grant({ key: 'B-s1-x-code', clientId: 'B', subjectId: 's1', sessionId: 'x', type: 'authorization_code' }),
          minimalGrant({ key: 'B-s2-reference', clientId: 'B', subjectId: 's2', type: 'reference_token' }),
          minimalGrant({ key: 'A-reference', clientId: 'A', type: 'reference_token' }),
        ];
        const cases: ReadonlyArray<readonly [GrantFilter, readonly string[]]> = [
          [{ clientId: 'A' }, ['A-s1-x-code', 'A-s1-y-refresh', 'A-reference']],
          [{ subjectId: 's1' }, ['A-s1-x-code', 'A-s1-y-refresh', 'B-s1-x-code']],
          [{ sessionId: 'x' }, ['A-s1-x-code', 'B-s1-x-code']],
          [{ type: 'reference_token' }, ['B-s2-reference', 'A-reference']],
          [{ subjectId: 's1', clientId: 'A' }, ['A-s1-x-code', 'A-s1-y-refresh']],
          [{ subjectId: 's1', sessionId: 'x' }, ['A-s1-x-code', 'B-s1-x-code']],
          [{ clientId: 'B', type: 'authorization_code' }, ['B-s1-x-code']],
          [{ clientId: 'A', subjectId: 's1', sessionId: 'y', type: 'refresh_token' }, ['A-s1-y-refresh']],
          [{ clientId: 'A', sessionId: 'x', subjectId: 's1', type: 'refresh_token' }, []],
          [{ clientId: 'nobody' }, []],
        ];

        for (const [filter, expected] of cases) {
          it(`removes exactly the grants matching ${JSON.stringify(filter)}`, async () => {
            for (const g of matrix) await stores.grants.storeGrant(g);
            assert.equal(await stores.grants.removeGrants(filter), expected.length);
            for (const g of matrix) {
              const gone = expected.includes(g.key);
              assert.deepEqual(await stores.grants.getGrant(g.key), gone ? undefined : g, `${g.key} ${gone ? 'removed' : 'kept'}`);
            }
          });
        }

        it('refuses an empty filter and removes nothing', async () => {
          for (const g of matrix) await stores.grants.storeGrant(g);
          await assert.rejects(stores.grants.removeGrants({}), TypeError);
          await assert.rejects(stores.grants.removeGrants({ clientId: undefined, subjectId: undefined } as GrantFilter), TypeError);
          for (const g of matrix) assert.deepEqual(await stores.grants.getGrant(g.key), g);
        });
      });

      describe('removeExpiredGrants', () => {
        it('removes at most `limit` expired grants and never an unexpired one', async () => {
          const expired = [1, 2, 3, 4].map((age) => grant({ expiresAt: NOW - age }));
          expired.push(grant({ expiresAt: NOW })); // expiring exactly now counts as expired, as in consumeGrant
          const live = [grant({ expiresAt: NOW + 1 }), grant({ expiresAt: NOW + 1, consumedAt: NOW - 1 }), minimalGrant()];
          for (const g of [...live, ...expired]) await stores.grants.storeGrant(g);

          assert.equal(await stores.grants.removeExpiredGrants(NOW, 0), 0);
          assert.equal(await stores.grants.removeExpiredGrants(NOW, 2), 2);
          assert.equal(await stores.grants.removeExpiredGrants(NOW, 2), 2);
          assert.equal(await stores.grants.removeExpiredGrants(NOW, 2), 1);
          assert.equal(await stores.grants.removeExpiredGrants(NOW, 2), 0);

          for (const g of expired) assert.equal(await stores.grants.getGrant(g.key), undefined);
          for (const g of live) assert.deepEqual(await stores.grants.getGrant(g.key), g);
        });

        it('refuses a negative or fractional limit', async () => {
          await stores.grants.storeGrant(grant({ expiresAt: NOW - 1 }));
          await assert.rejects(stores.grants.removeExpiredGrants(NOW, -1), RangeError);
          await assert.rejects(stores.grants.removeExpiredGrants(NOW, 1.5), RangeError);
          assert.equal(await stores.grants.removeExpiredGrants(NOW, 10), 1);
        });
      });
    });

    describe('RevocationStore', () => {
      it('remembers revoked jtis', async () => {
        assert.equal(await stores.revocations.isTokenRevoked('jti-1'), false);
        await stores.revocations.revokeToken('jti-1', NOW + 1000);
        assert.equal(await stores.revocations.isTokenRevoked('jti-1'), true);
        assert.equal(await stores.revocations.isTokenRevoked('jti-2'), false);
      });

      it('accepts a second revocation and keeps the later expiry', async () => {
        await stores.revocations.revokeToken('jti', NOW + 1000);
        await stores.revocations.revokeToken('jti', NOW + 10);
        assert.equal(await stores.revocations.removeExpiredRevocations(NOW + 500, 10), 0);
        assert.equal(await stores.revocations.isTokenRevoked('jti'), true);
      });

      it('removes at most `limit` expired revocations and never an unexpired one', async () => {
        for (const i of [1, 2, 3]) await stores.revocations.revokeToken(`old-${i}`, NOW - i);
        await stores.revocations.revokeToken('now', NOW);
        await stores.revocations.revokeToken('live', NOW + 1);

        assert.equal(await stores.revocations.removeExpiredRevocations(NOW, 3), 3);
        assert.equal(await stores.revocations.removeExpiredRevocations(NOW, 3), 1);
        assert.equal(await stores.revocations.removeExpiredRevocations(NOW, 3), 0);
        for (const jti of ['old-1', 'old-2', 'old-3', 'now']) assert.equal(await stores.revocations.isTokenRevoked(jti), false);
        assert.equal(await stores.revocations.isTokenRevoked('live'), true);
        await assert.rejects(stores.revocations.removeExpiredRevocations(NOW, -1), RangeError);
      });
    });

    describe('SigningKeyStore', () => {
      it('adds, lists and removes keys', async () => {
        assert.deepEqual(await stores.signingKeys.listKeys(), []);
        await stores.signingKeys.addKey(signingKey('k2', NOW));
        await stores.signingKeys.addKey(signingKey('k1', NOW - 1000));
        assert.deepEqual((await stores.signingKeys.listKeys()).sort(byKid), [signingKey('k1', NOW - 1000), signingKey('k2', NOW)]);
        await stores.signingKeys.removeKey('k1');
        assert.deepEqual(await stores.signingKeys.listKeys(), [signingKey('k2', NOW)]);
        await stores.signingKeys.removeKey('unknown');
        assert.deepEqual(await stores.signingKeys.listKeys(), [signingKey('k2', NOW)]);
      });

      it('rejects a duplicate kid and keeps the original', async () => {
        await stores.signingKeys.addKey(signingKey('k1'));
        await assert.rejects(stores.signingKeys.addKey({ ...signingKey('k1'), data: 'other' }), DuplicateKeyError);
        assert.deepEqual(await stores.signingKeys.listKeys(), [signingKey('k1')]);
      });

      it('cannot be changed through its results', async () => {
        await stores.signingKeys.addKey(signingKey('k1'));
        tryToMutate(await stores.signingKeys.listKeys());
        assert.deepEqual(await stores.signingKeys.listKeys(), [signingKey('k1')]);
      });
    });

    describe('close', () => {
      it('makes every store reject, and may be called twice', async () => {
        await stores.close();
        await stores.close();
        await assert.rejects(stores.clients.findClientById('a'));
        await assert.rejects(stores.resources.getAllResources());
        await assert.rejects(stores.users.findUserByUsername('alice'));
        await assert.rejects(stores.grants.getGrant('k'));
        await assert.rejects(stores.grants.consumeGrant('k', NOW));
        await assert.rejects(stores.revocations.isTokenRevoked('j'));
        await assert.rejects(stores.signingKeys.listKeys());
      });
    });
  });
}
