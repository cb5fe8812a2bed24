import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { Stores } from '../../../src/stores/types.ts';
import { NOW, interaction } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';
import { raceCallsInThreads, type ThreadConnection } from './race-in-threads.ts';

export function interactionStoreCases(current: () => Stores, connectionOf: (() => ThreadConnection | undefined) | undefined): void {
  describe('InteractionStore', () => {
    const interactions = () => current().interactions;

    it('round-trips every field, with consumedAt present and absent', async () => {
      const open = interaction();
      const consumed = interaction({ consumedAt: NOW - 1 });
      await interactions().createInteraction(open);
      await interactions().createInteraction(consumed);
      const found = await interactions().findInteraction(open.key);
      assert.deepEqual(found, open);
      assert.ok(!('consumedAt' in found!));
      assert.deepEqual(await interactions().findInteraction(consumed.key), consumed);
      assert.equal(await interactions().findInteraction('unknown'), undefined);
    });

    // The pages read an interaction to tell the user what happened: expired, or already answered.
    it('finds expired and consumed interactions as stored', async () => {
      const expired = interaction({ expiresAt: NOW - 1 });
      await interactions().createInteraction(expired);
      assert.deepEqual(await interactions().findInteraction(expired.key), expired);
    });

    it('rejects a duplicate key and keeps the original', async () => {
      const original = interaction();
      await interactions().createInteraction(original);
      await assert.rejects(interactions().createInteraction(interaction({ key: original.key, clientId: 'other' })), DuplicateKeyError);
      assert.deepEqual(await interactions().findInteraction(original.key), original);
    });

    describe('updateInteraction', () => {
      it('replaces the data of an open interaction and nothing else', async () => {
        const i = interaction();
        await interactions().createInteraction(i);
        assert.equal(await interactions().updateInteraction(i.key, '{"steps":["login","consent"]}', NOW), true);
        assert.deepEqual(await interactions().findInteraction(i.key), { ...i, data: '{"steps":["login","consent"]}' });
      });

      it('refuses an unknown, consumed or expired interaction, including one expiring exactly now, and changes nothing', async () => {
        const consumed = interaction({ consumedAt: NOW - 1 });
        const expiring = interaction({ expiresAt: NOW });
        for (const i of [consumed, expiring]) await interactions().createInteraction(i);
        assert.equal(await interactions().updateInteraction('unknown', '{}', NOW), false);
        assert.equal(await interactions().updateInteraction(consumed.key, '{}', NOW), false);
        assert.equal(await interactions().updateInteraction(expiring.key, '{}', NOW), false);
        assert.deepEqual(await interactions().findInteraction(consumed.key), consumed);
        assert.deepEqual(await interactions().findInteraction(expiring.key), expiring);
        assert.equal(await interactions().findInteraction('unknown'), undefined);
        // One millisecond earlier the same interaction was still open.
        assert.equal(await interactions().updateInteraction(expiring.key, '{"late":false}', NOW - 1), true);
      });

      it('refuses once the interaction has been consumed', async () => {
        const i = interaction();
        await interactions().createInteraction(i);
        await interactions().consumeInteraction(i.key, NOW);
        assert.equal(await interactions().updateInteraction(i.key, '{"after":true}', NOW), false);
        assert.equal((await interactions().findInteraction(i.key))?.data, i.data);
      });
    });

    describe('consumeInteraction', () => {
      it('consumes once, returning the interaction as it was before; a second use is replayed with the stored one', async () => {
        const i = interaction();
        await interactions().createInteraction(i);
        const first = await interactions().consumeInteraction(i.key, NOW);
        assert.deepEqual(first, { outcome: 'consumed', interaction: i });
        assert.ok(first.outcome === 'consumed' && !('consumedAt' in first.interaction));
        assert.deepEqual(await interactions().findInteraction(i.key), { ...i, consumedAt: NOW });
        assert.deepEqual(await interactions().consumeInteraction(i.key, NOW + 1), { outcome: 'replayed', interaction: { ...i, consumedAt: NOW } });
      });

      it('says an unknown key is unknown', async () => {
        assert.deepEqual(await interactions().consumeInteraction('unknown', NOW), { outcome: 'unknown' });
      });

      it('says an expired interaction is expired, including one expiring exactly now, and leaves it unconsumed', async () => {
        const expired = interaction({ expiresAt: NOW - 1 });
        const expiring = interaction({ expiresAt: NOW });
        for (const i of [expired, expiring]) await interactions().createInteraction(i);
        assert.deepEqual(await interactions().consumeInteraction(expired.key, NOW), { outcome: 'expired', interaction: expired });
        assert.deepEqual(await interactions().consumeInteraction(expiring.key, NOW), { outcome: 'expired', interaction: expiring });
        assert.deepEqual(await interactions().findInteraction(expired.key), expired);
        assert.deepEqual(await interactions().findInteraction(expiring.key), expiring);
      });

      it('says one consumed and since expired is replayed: the reuse is what matters', async () => {
        const i = interaction({ consumedAt: NOW - 10, expiresAt: NOW - 5 });
        await interactions().createInteraction(i);
        assert.deepEqual(await interactions().consumeInteraction(i.key, NOW), { outcome: 'replayed', interaction: i });
      });

      it('lets exactly one of 20 concurrent calls win; the others are told of the replay', async () => {
        const i = interaction();
        await interactions().createInteraction(i);
        const results = await Promise.all(Array.from({ length: 20 }, (_, n) => interactions().consumeInteraction(i.key, NOW + n)));
        const winners = results.flatMap((r, n) => (r.outcome === 'consumed' ? [n] : []));
        assert.equal(winners.length, 1);
        const consumedAt = NOW + winners[0]!;
        for (const [n, result] of results.entries()) {
          assert.deepEqual(result, n === winners[0] ? { outcome: 'consumed', interaction: i } : { outcome: 'replayed', interaction: { ...i, consumedAt } });
        }
      });

      // As for grants: catches a consume that reads, then writes, even synchronously.
      if (connectionOf) {
        it('lets exactly one of several threads, each on its own connection, win each of 60 interactions', async () => {
          const connection = connectionOf();
          assert.ok(connection, 'open() gave no connection for other threads');
          const list = Array.from({ length: 60 }, () => interaction());
          for (const i of list) await interactions().createInteraction(i);
          const results = await raceCallsInThreads<'interactions', 'consumeInteraction'>(connection, {
            store: 'interactions',
            method: 'consumeInteraction',
            rounds: list.length,
            threads: 3,
            argsOf: (round) => [list[round]!.key, NOW],
          });
          assert.deepEqual(
            results.map((perThread) => perThread.map((r) => r.outcome).toSorted()),
            list.map(() => ['consumed', 'replayed', 'replayed']),
          );
          for (const i of list) assert.equal((await interactions().findInteraction(i.key))?.consumedAt, NOW);
        });
      }
    });

    // A consumed interaction stays until it expires, so that an answer sent back twice is recognised as a replay.
    it('removes at most `limit` expired interactions, never an unexpired one, consumed or not', async () => {
      const expired = [1, 2, 3].map((age) => interaction({ expiresAt: NOW - age }));
      expired.push(interaction({ expiresAt: NOW }), interaction({ expiresAt: NOW - 1, consumedAt: NOW - 2 }));
      const live = [interaction({ expiresAt: NOW + 1 }), interaction({ consumedAt: NOW - 1 })];
      for (const i of [...live, ...expired]) await interactions().createInteraction(i);

      assert.equal(await interactions().removeExpiredInteractions(NOW, 0), 0);
      assert.equal(await interactions().removeExpiredInteractions(NOW, 2), 2);
      assert.equal(await interactions().removeExpiredInteractions(NOW, 2), 2);
      assert.equal(await interactions().removeExpiredInteractions(NOW, 2), 1);
      assert.equal(await interactions().removeExpiredInteractions(NOW, 2), 0);
      for (const i of expired) assert.equal(await interactions().findInteraction(i.key), undefined);
      for (const i of live) assert.deepEqual(await interactions().findInteraction(i.key), i);
      assert.equal((await interactions().consumeInteraction(live[1]!.key, NOW)).outcome, 'replayed');
      await assert.rejects(interactions().removeExpiredInteractions(NOW, -1), RangeError);
    });

    it('cannot be changed through its inputs or results', async () => {
      const i = interaction();
      const expected = structuredClone(i);
      await interactions().createInteraction(i);
      (i as { data: string }).data = 'tampered';
      tryToMutate(await interactions().findInteraction(i.key));
      tryToMutate(await interactions().consumeInteraction(i.key, NOW));
      tryToMutate(await interactions().consumeInteraction(i.key, NOW));
      assert.deepEqual(await interactions().findInteraction(i.key), { ...expected, consumedAt: NOW });
    });
  });
}
