import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { Stores } from '../../../src/stores/types.ts';
import { NOW, signingKey } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';

const byKid = (a: { kid: string }, b: { kid: string }) => (a.kid < b.kid ? -1 : 1);

export function signingKeyStoreCases(current: () => Stores): void {
  describe('SigningKeyStore', () => {
    it('adds, lists and removes keys', async () => {
      assert.deepEqual(await current().signingKeys.listKeys(), []);
      await current().signingKeys.addKey(signingKey('k2', NOW));
      await current().signingKeys.addKey(signingKey('k1', NOW - 1000));
      assert.deepEqual((await current().signingKeys.listKeys()).sort(byKid), [signingKey('k1', NOW - 1000), signingKey('k2', NOW)]);
      await current().signingKeys.removeKey('k1');
      assert.deepEqual(await current().signingKeys.listKeys(), [signingKey('k2', NOW)]);
      await current().signingKeys.removeKey('unknown');
      assert.deepEqual(await current().signingKeys.listKeys(), [signingKey('k2', NOW)]);
    });

    it('lists keys oldest first, and by kid within the same instant', async () => {
      for (const key of [signingKey('b', NOW), signingKey('c', NOW - 5), signingKey('a', NOW), signingKey('d', NOW + 5)]) await current().signingKeys.addKey(key);
      assert.deepEqual((await current().signingKeys.listKeys()).map((k) => k.kid), ['c', 'a', 'b', 'd']);
    });

    it('rejects a duplicate kid and keeps the original', async () => {
      await current().signingKeys.addKey(signingKey('k1'));
      await assert.rejects(current().signingKeys.addKey({ ...signingKey('k1'), data: 'other' }), DuplicateKeyError);
      assert.deepEqual(await current().signingKeys.listKeys(), [signingKey('k1')]);
    });

    it('cannot be changed through its results', async () => {
      await current().signingKeys.addKey(signingKey('k1'));
      tryToMutate(await current().signingKeys.listKeys());
      assert.deepEqual(await current().signingKeys.listKeys(), [signingKey('k1')]);
    });
  });
}
