import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stores } from '../../../src/stores/types.ts';
import { NOW } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';
import { raceCallsInThreads, type ThreadConnection } from './race-in-threads.ts';

const WINDOW = 60_000;

export function signInAttemptStoreCases(current: () => Stores, connectionOf: (() => ThreadConnection | undefined) | undefined): void {
  describe('SignInAttemptStore', () => {
    const attempts = () => current().signInAttempts;

    it('counts a first failure from `now`, lapsing a window later', async () => {
      assert.equal(await attempts().getAttempts('alice', NOW), undefined);
      const first = { count: 1, firstAt: NOW, lastAt: NOW, expiresAt: NOW + WINDOW };
      assert.deepEqual(await attempts().recordFailure('alice', NOW, WINDOW), first);
      assert.deepEqual(await attempts().getAttempts('alice', NOW), first);
    });

    it('adds failures within the window, keeping its start and moving the last failure and the lapse', async () => {
      await attempts().recordFailure('alice', NOW, WINDOW);
      await attempts().recordFailure('alice', NOW + 10, WINDOW);
      const third = { count: 3, firstAt: NOW, lastAt: NOW + 20, expiresAt: NOW + 20 + WINDOW };
      assert.deepEqual(await attempts().recordFailure('alice', NOW + 20, WINDOW), third);
      assert.deepEqual(await attempts().getAttempts('alice', NOW + 20), third);
    });

    it('starts again at 1 once the count has lapsed, including exactly at its lapse', async () => {
      await attempts().recordFailure('alice', NOW, WINDOW);
      await attempts().recordFailure('alice', NOW + 1, WINDOW);
      const lapse = NOW + 1 + WINDOW;
      assert.equal((await attempts().getAttempts('alice', lapse - 1))?.count, 2);
      assert.equal(await attempts().getAttempts('alice', lapse), undefined);
      assert.deepEqual(await attempts().recordFailure('alice', lapse, WINDOW), { count: 1, firstAt: lapse, lastAt: lapse, expiresAt: lapse + WINDOW });
    });

    it('counts each key apart, and forgets a key on reset', async () => {
      await attempts().recordFailure('alice', NOW, WINDOW);
      await attempts().recordFailure('alice', NOW, WINDOW);
      await attempts().recordFailure('ip:203.0.113.7', NOW, WINDOW);
      await attempts().resetAttempts('alice');
      await attempts().resetAttempts('nobody');
      assert.equal(await attempts().getAttempts('alice', NOW), undefined);
      assert.equal((await attempts().getAttempts('ip:203.0.113.7', NOW))?.count, 1);
      assert.equal((await attempts().recordFailure('alice', NOW, WINDOW)).count, 1);
    });

    it('counts every one of 20 concurrent failures', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => attempts().recordFailure('alice', NOW, WINDOW)));
      assert.deepEqual(results.map((r) => r.count).toSorted((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await attempts().getAttempts('alice', NOW))?.count, 20);
    });

    // A read, then a write, would let two threads write the same count: a guesser gets free attempts.
    if (connectionOf) {
      it('counts every failure recorded by several threads at once, each on its own connection', async () => {
        const connection = connectionOf();
        assert.ok(connection, 'open() gave no connection for other threads');
        const threads = 3;
        const rounds = 40;
        const results = await raceCallsInThreads<'signInAttempts', 'recordFailure'>(connection, {
          store: 'signInAttempts',
          method: 'recordFailure',
          rounds,
          threads,
          argsOf: () => ['alice', NOW, WINDOW],
        });
        const counts = results.flat().map((r) => r.count).toSorted((a, b) => a - b);
        assert.deepEqual(counts, Array.from({ length: threads * rounds }, (_, i) => i + 1));
        assert.equal((await attempts().getAttempts('alice', NOW))?.count, threads * rounds);
      });
    }

    it('removes at most `limit` lapsed counts and never a live one', async () => {
      for (const i of [1, 2, 3]) await attempts().recordFailure(`old-${i}`, NOW - WINDOW - i, WINDOW);
      await attempts().recordFailure('now', NOW - WINDOW, WINDOW);
      await attempts().recordFailure('live', NOW - WINDOW + 1, WINDOW);

      assert.equal(await attempts().removeExpiredAttempts(NOW, 0), 0);
      assert.equal(await attempts().removeExpiredAttempts(NOW, 3), 3);
      assert.equal(await attempts().removeExpiredAttempts(NOW, 3), 1);
      assert.equal(await attempts().removeExpiredAttempts(NOW, 3), 0);
      assert.equal((await attempts().getAttempts('live', NOW))?.count, 1);
      // The removed count is gone: even at a `now` when it was live, a failure starts afresh.
      assert.equal((await attempts().recordFailure('now', NOW - WINDOW, WINDOW)).count, 1);
      await assert.rejects(attempts().removeExpiredAttempts(NOW, -1), RangeError);
    });

    it('cannot be changed through its results', async () => {
      tryToMutate(await attempts().recordFailure('alice', NOW, WINDOW));
      tryToMutate(await attempts().getAttempts('alice', NOW));
      assert.deepEqual(await attempts().getAttempts('alice', NOW), { count: 1, firstAt: NOW, lastAt: NOW, expiresAt: NOW + WINDOW });
    });
  });
}
