import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stores } from '../../../src/stores/types.ts';
import { NOW } from '../fixtures.ts';

export function revocationStoreCases(current: () => Stores): void {
  describe('RevocationStore', () => {
    it('remembers revoked jtis', async () => {
      assert.equal(await current().revocations.isTokenRevoked('jti-1'), false);
      await current().revocations.revokeToken('jti-1', NOW + 1000);
      assert.equal(await current().revocations.isTokenRevoked('jti-1'), true);
      assert.equal(await current().revocations.isTokenRevoked('jti-2'), false);
    });

    // In both orders, so that neither "first write wins" nor "last write wins" passes.
    it('accepts a second revocation and keeps the later expiry, whichever came first', async () => {
      await current().revocations.revokeToken('later-first', NOW + 1000);
      await current().revocations.revokeToken('later-first', NOW + 10);
      await current().revocations.revokeToken('later-second', NOW + 10);
      await current().revocations.revokeToken('later-second', NOW + 1000);
      assert.equal(await current().revocations.removeExpiredRevocations(NOW + 500, 10), 0);
      assert.equal(await current().revocations.isTokenRevoked('later-first'), true);
      assert.equal(await current().revocations.isTokenRevoked('later-second'), true);
      assert.equal(await current().revocations.removeExpiredRevocations(NOW + 1000, 10), 2);
      assert.equal(await current().revocations.isTokenRevoked('later-first'), false);
    });

    it('removes at most `limit` expired revocations and never an unexpired one', async () => {
      for (const i of [1, 2, 3]) await current().revocations.revokeToken(`old-${i}`, NOW - i);
      await current().revocations.revokeToken('now', NOW);
      await current().revocations.revokeToken('live', NOW + 1);

      assert.equal(await current().revocations.removeExpiredRevocations(NOW, 3), 3);
      assert.equal(await current().revocations.removeExpiredRevocations(NOW, 3), 1);
      assert.equal(await current().revocations.removeExpiredRevocations(NOW, 3), 0);
      for (const jti of ['old-1', 'old-2', 'old-3', 'now']) assert.equal(await current().revocations.isTokenRevoked(jti), false);
      assert.equal(await current().revocations.isTokenRevoked('live'), true);
      await assert.rejects(current().revocations.removeExpiredRevocations(NOW, -1), RangeError);
    });
  });
}
