import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { Client, Stores } from '../../../src/stores/types.ts';
import { fullClient, minimalClient } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';

const byClientId = (a: Client, b: Client) => (a.clientId < b.clientId ? -1 : 1);

export function clientStoreCases(current: () => Stores): void {
  describe('ClientStore', () => {
    const clients = () => current().clients;
    const listed = async () => (await clients().listClients()).sort(byClientId);

    it('starts empty', async () => {
      assert.equal(await clients().findClientById('nope'), undefined);
      assert.deepEqual(await clients().listClients(), []);
    });

    it('round-trips every field, with optional fields present and absent, whoever owns the client', async () => {
      await clients().syncConfiguredClients([fullClient('full'), minimalClient('minimal')]);
      await clients().saveClient(fullClient('saved-full'));
      await clients().saveClient(minimalClient('saved-minimal'));
      for (const id of ['full', 'saved-full']) assert.deepEqual(await clients().findClientById(id), fullClient(id));
      for (const id of ['minimal', 'saved-minimal']) assert.deepEqual(await clients().findClientById(id), minimalClient(id));
      assert.deepEqual(await listed(), [fullClient('full'), minimalClient('minimal'), fullClient('saved-full'), minimalClient('saved-minimal')]);
    });

    it('returns an optional field set to undefined as absent', async () => {
      await clients().syncConfiguredClients([{ ...minimalClient('c'), clientName: undefined }]);
      await clients().saveClient({ ...minimalClient('s'), clientName: undefined });
      for (const id of ['c', 's']) {
        const found = await clients().findClientById(id);
        assert.deepEqual(found, minimalClient(id));
        assert.ok(!('clientName' in found!));
      }
    });

    describe('syncConfiguredClients', () => {
      it('creates, updates and removes configured clients until they are exactly the list', async () => {
        await clients().syncConfiguredClients([fullClient('a'), fullClient('b')]);
        await clients().syncConfiguredClients([minimalClient('b'), minimalClient('c')]);
        assert.equal(await clients().findClientById('a'), undefined);
        assert.deepEqual(await listed(), [minimalClient('b'), minimalClient('c')]);
        await clients().syncConfiguredClients([]);
        assert.deepEqual(await clients().listClients(), []);
      });

      it('never changes or removes a client saved through the store', async () => {
        await clients().syncConfiguredClients([fullClient('a')]);
        await clients().saveClient(fullClient('registered'));
        await clients().syncConfiguredClients([minimalClient('b')]);
        await clients().syncConfiguredClients([]);
        assert.deepEqual(await listed(), [fullClient('registered')]);
      });

      it('refuses, changing nothing, a list that names clients the store owns, and names every one', async () => {
        await clients().syncConfiguredClients([fullClient('a')]);
        await clients().saveClient(fullClient('registered-1'));
        await clients().saveClient(fullClient('registered-2'));
        await assert.rejects(
          clients().syncConfiguredClients([minimalClient('b'), minimalClient('registered-1'), minimalClient('registered-2')]),
          (error: unknown) => {
            assert.ok(error instanceof ConfigurationConflictError);
            assert.deepEqual(error.keys, ['registered-1', 'registered-2']);
            assert.match(error.message, /client "registered-1", "registered-2"/);
            assert.match(error.message, /removeClient/);
            return true;
          },
        );
        assert.deepEqual(await listed(), [fullClient('a'), fullClient('registered-1'), fullClient('registered-2')]);
      });

      it('rejects a list that repeats an id and keeps the previous clients', async () => {
        await clients().syncConfiguredClients([fullClient('a')]);
        await assert.rejects(clients().syncConfiguredClients([fullClient('b'), minimalClient('b')]), DuplicateKeyError);
        assert.deepEqual(await clients().listClients(), [fullClient('a')]);
      });

      it('lets the file own an id once the store has removed its client', async () => {
        await clients().saveClient(minimalClient('x'));
        await assert.rejects(clients().syncConfiguredClients([fullClient('x')]), ConfigurationConflictError);
        assert.equal(await clients().removeClient('x'), true);
        await clients().syncConfiguredClients([fullClient('x')]);
        assert.deepEqual(await clients().findClientById('x'), fullClient('x'));
        await assert.rejects(clients().saveClient(minimalClient('x')), ConfiguredEntryError);
      });
    });

    describe('saveClient and removeClient', () => {
      it('create, update and remove a client the store owns', async () => {
        await clients().saveClient(minimalClient('s'));
        await clients().saveClient(fullClient('s'));
        assert.deepEqual(await clients().listClients(), [fullClient('s')]);
        assert.equal(await clients().removeClient('s'), true);
        assert.equal(await clients().findClientById('s'), undefined);
        assert.equal(await clients().removeClient('s'), false);
      });

      it('refuse a configured client and leave it as the file wrote it', async () => {
        await clients().syncConfiguredClients([fullClient('c')]);
        await assert.rejects(clients().saveClient(minimalClient('c')), (error: unknown) => {
          assert.ok(error instanceof ConfiguredEntryError);
          assert.match(error.message, /client "c" comes from the configuration file/);
          return true;
        });
        await assert.rejects(clients().removeClient('c'), ConfiguredEntryError);
        assert.deepEqual(await clients().listClients(), [fullClient('c')]);
      });
    });

    it('cannot be changed through its inputs or results', async () => {
      const configured = fullClient('a');
      const saved = fullClient('s');
      await clients().syncConfiguredClients([configured]);
      await clients().saveClient(saved);
      (configured.redirectUris as string[]).push('https://evil.example/');
      (saved.redirectUris as string[]).push('https://evil.example/');
      tryToMutate(await clients().findClientById('a'));
      tryToMutate(await clients().findClientById('s'));
      tryToMutate(await clients().listClients());
      assert.deepEqual(await clients().findClientById('a'), fullClient('a'));
      assert.deepEqual(await clients().findClientById('s'), fullClient('s'));
    });
  });
}
