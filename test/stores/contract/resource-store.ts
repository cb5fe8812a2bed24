import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { Resources, Stores } from '../../../src/stores/types.ts';
import { apiResource, resources } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';

const none: Resources = { apiScopes: [], apiResources: [], identityResources: [] };
const scope = (name: string) => ({ name, enabled: true, userClaims: [] });

export function resourceStoreCases(current: () => Stores): void {
  describe('ResourceStore', () => {
    const store = () => current().resources;

    it('starts empty', async () => {
      assert.deepEqual(await store().getAllResources(), none);
      assert.equal(await store().findApiResourceByName('api1'), undefined);
    });

    it('round-trips every field, with optional fields present and absent', async () => {
      await store().syncConfiguredResources(resources());
      assert.deepEqual(await store().getAllResources(), resources());
      assert.deepEqual(await store().findApiResourceByName('api1'), apiResource('api1'));
      assert.deepEqual(await store().findApiResourceByName('api2'), resources().apiResources[1]);
    });

    it('round-trips resources saved through the store, after the configured ones', async () => {
      await store().syncConfiguredResources(resources());
      await store().saveResource('apiScope', { name: 'extra', displayName: 'Extra', enabled: true, userClaims: ['email'] });
      await store().saveResource('apiResource', apiResource('api9'));
      await store().saveResource('identityResource', { name: 'email', enabled: true, userClaims: ['email', 'email_verified'] });
      const all = await store().getAllResources();
      assert.deepEqual(all, {
        apiScopes: [...resources().apiScopes, { name: 'extra', displayName: 'Extra', enabled: true, userClaims: ['email'] }],
        apiResources: [...resources().apiResources, apiResource('api9')],
        identityResources: [...resources().identityResources, { name: 'email', enabled: true, userClaims: ['email', 'email_verified'] }],
      });
      assert.deepEqual(await store().findApiResourceByName('api9'), apiResource('api9'));
    });

    it('finds only API resources by name', async () => {
      await store().syncConfiguredResources(resources());
      await store().saveResource('apiScope', scope('saved.scope'));
      assert.equal(await store().findApiResourceByName('api1.read'), undefined);
      assert.equal(await store().findApiResourceByName('openid'), undefined);
      assert.equal(await store().findApiResourceByName('saved.scope'), undefined);
    });

    it('allows the same name in different kinds', async () => {
      const shared = {
        apiScopes: [scope('shared')],
        apiResources: [{ ...apiResource('api1'), name: 'shared' }],
        identityResources: [scope('shared')],
      };
      await store().syncConfiguredResources(shared);
      assert.deepEqual(await store().getAllResources(), shared);
      await store().saveResource('apiScope', scope('both'));
      await store().saveResource('identityResource', scope('both'));
      assert.equal(await store().removeResource('apiScope', 'both'), true);
      assert.deepEqual((await store().getAllResources()).identityResources, [scope('shared'), scope('both')]);
    });

    describe('syncConfiguredResources', () => {
      it('creates, updates and removes configured resources until they are exactly the lists', async () => {
        await store().syncConfiguredResources(resources());
        const next = { apiScopes: [], apiResources: [apiResource('api3'), { ...apiResource('api1'), enabled: false }], identityResources: [] };
        await store().syncConfiguredResources(next);
        assert.deepEqual(await store().getAllResources(), next);
        assert.equal(await store().findApiResourceByName('api2'), undefined);
        await store().syncConfiguredResources(none);
        assert.deepEqual(await store().getAllResources(), none);
      });

      it('never changes or removes a resource saved through the store', async () => {
        await store().syncConfiguredResources(resources());
        await store().saveResource('apiResource', apiResource('registered'));
        await store().syncConfiguredResources(none);
        assert.deepEqual(await store().getAllResources(), { ...none, apiResources: [apiResource('registered')] });
      });

      it('refuses, changing nothing, lists that name resources the store owns', async () => {
        await store().syncConfiguredResources(resources());
        await store().saveResource('apiScope', scope('saved'));
        const before = await store().getAllResources();
        await assert.rejects(store().syncConfiguredResources({ ...none, apiScopes: [scope('saved')], apiResources: [apiResource('new')] }), (error: unknown) => {
          assert.ok(error instanceof ConfigurationConflictError);
          assert.deepEqual(error.keys, ['saved']);
          assert.match(error.message, /API scope "saved"/);
          return true;
        });
        assert.deepEqual(await store().getAllResources(), before);
        // Only within a kind: an identity resource named like the stored API scope is no conflict.
        await store().syncConfiguredResources({ ...none, identityResources: [scope('saved')] });
      });

      it('rejects a duplicate name within a kind and keeps the previous resources', async () => {
        await store().syncConfiguredResources(resources());
        const duplicate = { ...resources(), apiResources: [apiResource('x'), apiResource('x')] };
        await assert.rejects(store().syncConfiguredResources(duplicate), DuplicateKeyError);
        assert.deepEqual(await store().getAllResources(), resources());
      });
    });

    describe('saveResource and removeResource', () => {
      it('create, update and remove a resource the store owns', async () => {
        await store().saveResource('apiResource', apiResource('s'));
        await store().saveResource('apiResource', { ...apiResource('s'), enabled: false });
        assert.deepEqual(await store().findApiResourceByName('s'), { ...apiResource('s'), enabled: false });
        assert.equal(await store().removeResource('apiResource', 's'), true);
        assert.equal(await store().findApiResourceByName('s'), undefined);
        assert.equal(await store().removeResource('apiResource', 's'), false);
        assert.deepEqual(await store().getAllResources(), none);
      });

      it('refuse a configured resource and leave it as the file wrote it', async () => {
        await store().syncConfiguredResources(resources());
        await assert.rejects(store().saveResource('apiResource', apiResource('api2')), ConfiguredEntryError);
        await assert.rejects(store().saveResource('identityResource', scope('openid')), /identity resource "openid" comes from the configuration file/);
        await assert.rejects(store().removeResource('apiScope', 'api1.read'), ConfiguredEntryError);
        assert.deepEqual(await store().getAllResources(), resources());
      });
    });

    it('cannot be changed through its inputs or results', async () => {
      const saved = apiResource('s');
      await store().syncConfiguredResources(resources());
      await store().saveResource('apiResource', saved);
      (saved.scopes as string[]).push('tampered');
      tryToMutate(await store().getAllResources());
      tryToMutate(await store().findApiResourceByName('api1'));
      tryToMutate(await store().findApiResourceByName('s'));
      assert.deepEqual(await store().getAllResources(), { ...resources(), apiResources: [...resources().apiResources, apiResource('s')] });
    });
  });
}
