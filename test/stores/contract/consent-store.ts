import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stores } from '../../../src/stores/types.ts';
import { NOW, consent } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';

export function consentStoreCases(current: () => Stores): void {
  describe('ConsentStore', () => {
    const consents = () => current().consents;

    it('round-trips every field, with expiresAt present and absent', async () => {
      const expiring = consent();
      const lasting = consent({ clientId: 'client-b', expiresAt: undefined });
      await consents().saveConsent(expiring);
      await consents().saveConsent(lasting);
      assert.deepEqual(await consents().findConsent('alice', 'client-a', NOW), expiring);
      const found = await consents().findConsent('alice', 'client-b', NOW);
      assert.deepEqual(found, { subjectId: 'alice', clientId: 'client-b', scopes: lasting.scopes, createdAt: lasting.createdAt });
      assert.ok(!('expiresAt' in found!));
      assert.equal(await consents().findConsent('alice', 'client-c', NOW), undefined);
      assert.equal(await consents().findConsent('bob', 'client-a', NOW), undefined);
    });

    it('replaces the consent of a subject and client, scopes and expiry included', async () => {
      await consents().saveConsent(consent({ scopes: ['openid'], expiresAt: NOW + 10 }));
      const next = consent({ scopes: ['openid', 'email'], createdAt: NOW, expiresAt: undefined });
      await consents().saveConsent(next);
      const { expiresAt: _, ...lasting } = next;
      assert.deepEqual(await consents().findConsent('alice', 'client-a', NOW + 1_000_000), lasting);
      assert.deepEqual(await consents().listConsents('alice', NOW), [lasting]);
    });

    // Ids may hold any character: no joined "subject:client" key may make two pairs one.
    it('keeps pairs apart whose ids join to the same string', async () => {
      await consents().saveConsent(consent({ subjectId: 'a:b', clientId: 'c', scopes: ['one'] }));
      await consents().saveConsent(consent({ subjectId: 'a', clientId: 'b:c', scopes: ['two'] }));
      assert.deepEqual((await consents().findConsent('a:b', 'c', NOW))?.scopes, ['one']);
      assert.deepEqual((await consents().findConsent('a', 'b:c', NOW))?.scopes, ['two']);
    });

    it('finds nothing expired at `now`, including a consent expiring exactly then; one without expiry lasts', async () => {
      await consents().saveConsent(consent({ expiresAt: NOW }));
      await consents().saveConsent(consent({ clientId: 'forever', expiresAt: undefined }));
      assert.ok(await consents().findConsent('alice', 'client-a', NOW - 1));
      assert.equal(await consents().findConsent('alice', 'client-a', NOW), undefined);
      assert.ok(await consents().findConsent('alice', 'forever', Number.MAX_SAFE_INTEGER));
    });

    it('removes one consent, saying whether there was one', async () => {
      await consents().saveConsent(consent());
      await consents().saveConsent(consent({ clientId: 'client-b' }));
      await consents().saveConsent(consent({ subjectId: 'bob' }));
      assert.equal(await consents().removeConsent('alice', 'client-a'), true);
      assert.equal(await consents().removeConsent('alice', 'client-a'), false);
      assert.equal(await consents().removeConsent('nobody', 'client-a'), false);
      assert.equal(await consents().findConsent('alice', 'client-a', NOW), undefined);
      assert.ok(await consents().findConsent('alice', 'client-b', NOW));
      assert.ok(await consents().findConsent('bob', 'client-a', NOW));
    });

    it("lists the subject's unexpired consents, oldest first", async () => {
      const newest = consent({ clientId: 'newest', createdAt: NOW - 10 });
      const oldest = consent({ clientId: 'oldest', createdAt: NOW - 3000, expiresAt: undefined });
      const middle = consent({ clientId: 'middle', createdAt: NOW - 2000 });
      const expired = consent({ clientId: 'expired', createdAt: NOW - 4000, expiresAt: NOW });
      for (const c of [newest, oldest, middle, expired, consent({ subjectId: 'bob', createdAt: NOW - 5000 })]) await consents().saveConsent(c);
      const { expiresAt: _, ...lasting } = oldest;
      assert.deepEqual(await consents().listConsents('alice', NOW), [lasting, middle, newest]);
      assert.deepEqual(await consents().listConsents('nobody', NOW), []);
    });

    it('removes at most `limit` expired consents, never an unexpired one nor one without expiry', async () => {
      const expired = [1, 2, 3].map((age) => consent({ clientId: `old-${age}`, expiresAt: NOW - age }));
      expired.push(consent({ clientId: 'now', expiresAt: NOW }));
      const live = [consent({ clientId: 'live', expiresAt: NOW + 1 }), consent({ clientId: 'forever', expiresAt: undefined })];
      for (const c of [...live, ...expired]) await consents().saveConsent(c);

      assert.equal(await consents().removeExpiredConsents(NOW, 0), 0);
      assert.equal(await consents().removeExpiredConsents(NOW, 3), 3);
      assert.equal(await consents().removeExpiredConsents(NOW, 3), 1);
      assert.equal(await consents().removeExpiredConsents(Number.MAX_SAFE_INTEGER - 1, 3), 1);
      for (const c of expired) assert.equal(await consents().removeConsent(c.subjectId, c.clientId), false, c.clientId);
      assert.equal(await consents().removeConsent('alice', 'live'), false);
      assert.ok(await consents().findConsent('alice', 'forever', Number.MAX_SAFE_INTEGER));
      await assert.rejects(consents().removeExpiredConsents(NOW, -1), RangeError);
    });

    it('cannot be changed through its inputs or results', async () => {
      const c = consent();
      const expected = structuredClone(c);
      await consents().saveConsent(c);
      (c.scopes as string[]).push('tampered');
      tryToMutate(await consents().findConsent('alice', 'client-a', NOW));
      tryToMutate(await consents().listConsents('alice', NOW));
      assert.deepEqual(await consents().findConsent('alice', 'client-a', NOW), expected);
    });
  });
}
