import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { GrantFilter, PersistedGrant, Stores } from '../../../src/stores/types.ts';
import { NOW, grant, minimalGrant } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';
import { raceInThreads, type ThreadConnection } from './race-in-threads.ts';

export function grantStoreCases(current: () => Stores, connectionOf: (() => ThreadConnection | undefined) | undefined): void {
  describe('GrantStore', () => {
    it('round-trips every field, with optional fields present and absent', async () => {
      const full = grant({ consumedAt: NOW - 1, familyId: 'family-1' });
      const minimal = minimalGrant();
      await current().grants.storeGrant(full);
      await current().grants.storeGrant(minimal);
      assert.deepEqual(await current().grants.getGrant(full.key), full);
      const found = await current().grants.getGrant(minimal.key);
      assert.deepEqual(found, minimal);
      assert.ok(!('subjectId' in found!) && !('sessionId' in found) && !('consumedAt' in found) && !('familyId' in found));
    });

    it('updateGrantData replaces the data of a live grant only', async () => {
      const live = grant({ key: 'live', data: '{"v":1}', expiresAt: NOW + 1000 });
      const used = grant({ key: 'used', consumedAt: NOW - 1, expiresAt: NOW + 1000 });
      const ended = grant({ key: 'ended', expiresAt: NOW });
      for (const g of [live, used, ended]) await current().grants.storeGrant(g);
      assert.equal(await current().grants.updateGrantData('live', '{"v":2}', NOW), true);
      assert.deepEqual(await current().grants.getGrant('live'), { ...live, data: '{"v":2}' });
      assert.equal(await current().grants.updateGrantData('used', '{}', NOW), false);
      assert.equal(await current().grants.updateGrantData('ended', '{}', NOW), false);
      assert.equal(await current().grants.updateGrantData('missing', '{}', NOW), false);
      assert.deepEqual(await current().grants.getGrant('used'), used);
      assert.deepEqual(await current().grants.getGrant('ended'), ended);
    });

    it('returns undefined for an unknown key', async () => {
      assert.equal(await current().grants.getGrant('unknown'), undefined);
    });

    it('rejects a duplicate key and keeps the original', async () => {
      const original = grant();
      await current().grants.storeGrant(original);
      await assert.rejects(current().grants.storeGrant(grant({ key: original.key, clientId: 'other' })), DuplicateKeyError);
      assert.deepEqual(await current().grants.getGrant(original.key), original);
    });

    it('removes a single grant and returns it', async () => {
      const g = grant();
      await current().grants.storeGrant(g);
      assert.deepEqual(await current().grants.removeGrant(g.key), g);
      assert.equal(await current().grants.getGrant(g.key), undefined);
      assert.equal(await current().grants.removeGrant(g.key), undefined);
    });

    // Compared with a copy taken before: a store that kept and returned the caller's object would
    // otherwise change the expected value along with its own.
    it('cannot be changed through its inputs or results', async () => {
      const g = grant();
      const expected = structuredClone(g);
      await current().grants.storeGrant(g);
      (g as { data: string }).data = 'tampered';
      tryToMutate(await current().grants.getGrant(g.key));
      tryToMutate(await current().grants.listGrants({ clientId: g.clientId }));
      tryToMutate(await current().grants.consumeGrant(g.key, NOW));
      tryToMutate(await current().grants.consumeGrant(g.key, NOW));
      assert.deepEqual(await current().grants.getGrant(g.key), { ...expected, consumedAt: NOW });
    });

    describe('consumeGrant', () => {
      it('consumes once, returning the grant as it was before; a second use is replayed with the stored grant', async () => {
        const g = grant();
        await current().grants.storeGrant(g);
        const first = await current().grants.consumeGrant(g.key, NOW);
        assert.deepEqual(first, { outcome: 'consumed', grant: g });
        assert.ok(first.outcome === 'consumed' && !('consumedAt' in first.grant));
        assert.deepEqual(await current().grants.getGrant(g.key), { ...g, consumedAt: NOW });
        assert.deepEqual(await current().grants.consumeGrant(g.key, NOW + 1), { outcome: 'replayed', grant: { ...g, consumedAt: NOW } });
        assert.equal((await current().grants.getGrant(g.key))?.consumedAt, NOW);
      });

      it('says an unknown key is unknown', async () => {
        assert.deepEqual(await current().grants.consumeGrant('unknown', NOW), { outcome: 'unknown' });
      });

      it('says a removed grant is unknown', async () => {
        const g = grant();
        await current().grants.storeGrant(g);
        await current().grants.removeGrant(g.key);
        assert.deepEqual(await current().grants.consumeGrant(g.key, NOW), { outcome: 'unknown' });
      });

      it('says an expired grant is expired, including one expiring exactly now, and leaves it unconsumed', async () => {
        const expired = grant({ expiresAt: NOW - 1 });
        const expiring = grant({ expiresAt: NOW });
        await current().grants.storeGrant(expired);
        await current().grants.storeGrant(expiring);
        assert.deepEqual(await current().grants.consumeGrant(expired.key, NOW), { outcome: 'expired', grant: expired });
        assert.deepEqual(await current().grants.consumeGrant(expiring.key, NOW), { outcome: 'expired', grant: expiring });
        assert.deepEqual(await current().grants.getGrant(expired.key), expired);
        assert.deepEqual(await current().grants.getGrant(expiring.key), expiring);
      });

      it('says a grant stored already consumed is replayed, and so is one consumed and since expired', async () => {
        const consumed = grant({ consumedAt: NOW - 10 });
        const consumedThenExpired = grant({ consumedAt: NOW - 10, expiresAt: NOW - 5 });
        await current().grants.storeGrant(consumed);
        await current().grants.storeGrant(consumedThenExpired);
        assert.deepEqual(await current().grants.consumeGrant(consumed.key, NOW), { outcome: 'replayed', grant: consumed });
        assert.deepEqual(await current().grants.consumeGrant(consumedThenExpired.key, NOW), { outcome: 'replayed', grant: consumedThenExpired });
        assert.deepEqual(await current().grants.getGrant(consumed.key), consumed);
        assert.deepEqual(await current().grants.getGrant(consumedThenExpired.key), consumedThenExpired);
      });

      // Interleaved at every await in one thread: this fails a consume that awaits between its read and
      // its write. A backend that answers synchronously (SQLite) passes it even when it reads, then
      // writes; the next case is the one that catches that.
      it('lets exactly one of 20 concurrent calls win; the others are told of the replay', async () => {
        const g = grant();
        await current().grants.storeGrant(g);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => current().grants.consumeGrant(g.key, NOW + i)));
        const winners = results.flatMap((r, i) => (r.outcome === 'consumed' ? [i] : []));
        assert.equal(winners.length, 1);
        const consumedAt = NOW + winners[0]!;
        for (const [i, result] of results.entries()) {
          assert.deepEqual(result, i === winners[0] ? { outcome: 'consumed', grant: g } : { outcome: 'replayed', grant: { ...g, consumedAt } });
        }
      });

      // Threads on their own connections, released together for each of many grants: a consume that
      // reads, then writes lets two threads through on some grant. Only where another thread can reach
      // the data (not the memory stores, which no other thread sees).
      if (connectionOf) {
        it('lets exactly one of several threads, each on its own connection, win each of 60 grants; the others see a replay', async () => {
          const connection = connectionOf();
          assert.ok(connection, 'open() gave no connection for other threads');
          const grants = Array.from({ length: 60 }, () => grant());
          for (const g of grants) await current().grants.storeGrant(g);
          const outcomes = await raceInThreads(connection, { keys: grants.map((g) => g.key), now: NOW, threads: 3 });
          assert.deepEqual(outcomes.map((perThread) => perThread.toSorted()), grants.map(() => ['consumed', 'replayed', 'replayed']));
          for (const g of grants) assert.equal((await current().grants.getGrant(g.key))?.consumedAt, NOW);
        });
      }
    });

    describe('rotateGrant', () => {
      const refreshToken = (overrides: Partial<PersistedGrant> = {}) => grant({ type: 'refresh_token', ...overrides });
      const absent = async (...keys: string[]) => {
        for (const key of keys) assert.equal(await current().grants.getGrant(key), undefined, `${key} stored`);
      };

      it('consumes the grant and stores its successor, returning the grant as it was before', async () => {
        const old = refreshToken();
        const next = refreshToken({ createdAt: NOW });
        await current().grants.storeGrant(old);
        assert.deepEqual(await current().grants.rotateGrant(old.key, next, NOW), { outcome: 'consumed', grant: old });
        assert.deepEqual(await current().grants.getGrant(old.key), { ...old, consumedAt: NOW });
        assert.deepEqual(await current().grants.getGrant(next.key), next);
      });

      it('says a reused grant is replayed, with the stored grant, and stores nothing', async () => {
        const old = refreshToken();
        const next = refreshToken();
        const again = refreshToken();
        await current().grants.storeGrant(old);
        await current().grants.rotateGrant(old.key, next, NOW);
        assert.deepEqual(await current().grants.rotateGrant(old.key, again, NOW + 1), { outcome: 'replayed', grant: { ...old, consumedAt: NOW } });
        await absent(again.key);
        assert.deepEqual(await current().grants.getGrant(next.key), next);
        assert.deepEqual(await current().grants.getGrant(old.key), { ...old, consumedAt: NOW });
      });

      it('says an expired grant is expired, including one expiring exactly now, and stores nothing', async () => {
        const expired = refreshToken({ expiresAt: NOW - 1 });
        const expiring = refreshToken({ expiresAt: NOW });
        const next = [refreshToken(), refreshToken()] as const;
        await current().grants.storeGrant(expired);
        await current().grants.storeGrant(expiring);
        assert.deepEqual(await current().grants.rotateGrant(expired.key, next[0], NOW), { outcome: 'expired', grant: expired });
        assert.deepEqual(await current().grants.rotateGrant(expiring.key, next[1], NOW), { outcome: 'expired', grant: expiring });
        await absent(next[0].key, next[1].key);
        assert.deepEqual(await current().grants.getGrant(expired.key), expired);
        assert.deepEqual(await current().grants.getGrant(expiring.key), expiring);
      });

      it('says an unknown key is unknown and stores nothing', async () => {
        const next = refreshToken();
        assert.deepEqual(await current().grants.rotateGrant('unknown', next, NOW), { outcome: 'unknown' });
        await absent(next.key);
      });

      // All or nothing: a token endpoint that lost the successor must not have burnt the old token.
      it('rejects a successor whose key exists, its own included, and leaves the old grant unconsumed', async () => {
        const old = refreshToken();
        const taken = grant({ clientId: 'someone-else' });
        await current().grants.storeGrant(old);
        await current().grants.storeGrant(taken);
        await assert.rejects(current().grants.rotateGrant(old.key, refreshToken({ key: taken.key }), NOW), DuplicateKeyError);
        await assert.rejects(current().grants.rotateGrant(old.key, refreshToken({ key: old.key }), NOW), DuplicateKeyError);
        assert.deepEqual(await current().grants.getGrant(old.key), old);
        assert.deepEqual(await current().grants.getGrant(taken.key), taken);
        // Nothing was left half done: the same grant still rotates.
        const next = refreshToken();
        assert.equal((await current().grants.rotateGrant(old.key, next, NOW)).outcome, 'consumed');
        assert.deepEqual(await current().grants.getGrant(next.key), next);
      });

      // A reuse must reach the caller as a replay, so it can revoke the family (RFC 9700 §4.14.2), not as a storage error.
      it('says why it lost before looking at the successor', async () => {
        const consumed = refreshToken({ consumedAt: NOW - 1 });
        await current().grants.storeGrant(consumed);
        assert.deepEqual(await current().grants.rotateGrant(consumed.key, refreshToken({ key: consumed.key }), NOW), { outcome: 'replayed', grant: consumed });
      });

      it('cannot be changed through its successor or results', async () => {
        const old = refreshToken();
        const next = refreshToken();
        const expected = structuredClone(next);
        await current().grants.storeGrant(old);
        tryToMutate(await current().grants.rotateGrant(old.key, next, NOW));
        (next as { data: string }).data = 'tampered';
        tryToMutate(await current().grants.rotateGrant(old.key, refreshToken(), NOW));
        assert.deepEqual(await current().grants.getGrant(next.key), expected);
        assert.deepEqual(await current().grants.getGrant(old.key), { ...old, consumedAt: NOW });
      });

      // Interleaved at every await in one thread, as for consumeGrant.
      it('lets exactly one of 20 concurrent rotations win, and stores only its successor', async () => {
        const old = refreshToken();
        const successors = Array.from({ length: 20 }, () => refreshToken());
        await current().grants.storeGrant(old);
        const results = await Promise.all(successors.map((next, i) => current().grants.rotateGrant(old.key, next, NOW + i)));
        const winners = results.flatMap((r, i) => (r.outcome === 'consumed' ? [i] : []));
        assert.equal(winners.length, 1);
        const winner = winners[0]!;
        for (const [i, result] of results.entries()) {
          assert.deepEqual(result, i === winner ? { outcome: 'consumed', grant: old } : { outcome: 'replayed', grant: { ...old, consumedAt: NOW + winner } });
          assert.deepEqual(await current().grants.getGrant(successors[i]!.key), i === winner ? successors[i] : undefined);
        }
      });

      it('lets exactly one of concurrent rotations and consumes win', async () => {
        const old = refreshToken();
        const successors = Array.from({ length: 10 }, () => refreshToken());
        await current().grants.storeGrant(old);
        const results = await Promise.all(
          successors.flatMap((next) => [current().grants.rotateGrant(old.key, next, NOW), current().grants.consumeGrant(old.key, NOW)]),
        );
        assert.equal(results.filter((r) => r.outcome === 'consumed').length, 1);
        const winner = results.findIndex((r) => r.outcome === 'consumed');
        // Even indexes are the rotations; only a rotation that won may have stored its successor.
        for (const [i, next] of successors.entries()) {
          assert.deepEqual(await current().grants.getGrant(next.key), winner === 2 * i ? next : undefined);
        }
      });

      // As for consumeGrant: catches a rotation that reads, then writes, even synchronously.
      if (connectionOf) {
        it('lets exactly one of several threads, each on its own connection, rotate each of 60 grants, storing only its successor', async () => {
          const connection = connectionOf();
          assert.ok(connection, 'open() gave no connection for other threads');
          const olds = Array.from({ length: 60 }, () => refreshToken());
          for (const g of olds) await current().grants.storeGrant(g);
          const successors = new Map<string, PersistedGrant>();
          const successorOf = (key: string, thread: number) => {
            const next = refreshToken({ key: `${key}.next.${thread}`, createdAt: NOW });
            successors.set(next.key, next);
            return next;
          };
          const threads = 3;
          const outcomes = await raceInThreads(connection, { keys: olds.map((g) => g.key), now: NOW, threads, successorOf });
          assert.deepEqual(outcomes.map((perThread) => perThread.toSorted()), olds.map(() => ['consumed', 'replayed', 'replayed']));
          for (const [round, old] of olds.entries()) {
            assert.equal((await current().grants.getGrant(old.key))?.consumedAt, NOW);
            for (let thread = 0; thread < threads; thread++) {
              const key = `${old.key}.next.${thread}`;
              const won = outcomes[round]![thread] === 'consumed';
              assert.deepEqual(await current().grants.getGrant(key), won ? successors.get(key) : undefined, `successor of thread ${thread}, round ${round}`);
            }
          }
        });
      }
    });

    describe('listGrants and removeGrants', () => {
      // Keys name the grants so failures read well; f1 and f2 are token families.
      const matrix: readonly PersistedGrant[] = [
        grant({ key: 'A-s1-x-code', clientId: 'A', subjectId: 's1', sessionId: 'x', type: 'authorization_code', familyId: 'f1', consumedAt: NOW - 1 }),
        grant({ key: 'A-s1-y-refresh', clientId: 'A', subjectId: 's1', sessionId: 'y', type: 'refresh_token', familyId: 'f1' }),
        grant({ key: 'B-s1-x-code', clientId: 'B', subjectId: 's1', sessionId: 'x', type: 'authorization_code', familyId: 'f2', expiresAt: NOW - 1 }),
        minimalGrant({ key: 'B-s2-reference', clientId: 'B', subjectId: 's2', type: 'reference_token' }),
        minimalGrant({ key: 'A-reference', clientId: 'A', type: 'reference_token', familyId: 'f1' }),
      ];
      const byKey = (a: PersistedGrant, b: PersistedGrant) => (a.key < b.key ? -1 : 1);
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
        [{ familyId: 'f1' }, ['A-s1-x-code', 'A-s1-y-refresh', 'A-reference']],
        [{ familyId: 'f2' }, ['B-s1-x-code']],
        [{ familyId: 'f1', type: 'reference_token' }, ['A-reference']],
        [{ familyId: 'f2', clientId: 'A' }, []],
        [{ familyId: 'nobody' }, []],
      ];

      // Consumed and expired grants included: revoking a family must find its spent code too.
      for (const [filter, expected] of cases) {
        it(`lists exactly the grants matching ${JSON.stringify(filter)}`, async () => {
          for (const g of matrix) await current().grants.storeGrant(g);
          const listed = await current().grants.listGrants(filter);
          assert.deepEqual(listed.toSorted(byKey), matrix.filter((g) => expected.includes(g.key)).toSorted(byKey));
        });
      }

      for (const [filter, expected] of cases) {
        it(`removes exactly the grants matching ${JSON.stringify(filter)}`, async () => {
          for (const g of matrix) await current().grants.storeGrant(g);
          assert.equal(await current().grants.removeGrants(filter), expected.length);
          for (const g of matrix) {
            const gone = expected.includes(g.key);
            assert.deepEqual(await current().grants.getGrant(g.key), gone ? undefined : g, `${g.key} ${gone ? 'removed' : 'kept'}`);
          }
        });
      }

      it('refuses an empty filter and removes nothing', async () => {
        for (const g of matrix) await current().grants.storeGrant(g);
        await assert.rejects(current().grants.listGrants({}), TypeError);
        await assert.rejects(current().grants.listGrants({ familyId: undefined } as GrantFilter), TypeError);
        await assert.rejects(current().grants.removeGrants({}), TypeError);
        await assert.rejects(current().grants.removeGrants({ familyId: undefined } as GrantFilter), TypeError);
        await assert.rejects(current().grants.removeGrants({ clientId: undefined, subjectId: undefined } as GrantFilter), TypeError);
        for (const g of matrix) assert.deepEqual(await current().grants.getGrant(g.key), g);
      });
    });

    describe('removeExpiredGrants', () => {
      it('removes at most `limit` expired grants and never an unexpired one', async () => {
        const expired = [1, 2, 3, 4].map((age) => grant({ expiresAt: NOW - age }));
        expired.push(grant({ expiresAt: NOW })); // expiring exactly now counts as expired, as in consumeGrant
        const live = [grant({ expiresAt: NOW + 1 }), grant({ expiresAt: NOW + 1, consumedAt: NOW - 1 }), minimalGrant()];
        for (const g of [...live, ...expired]) await current().grants.storeGrant(g);

        assert.equal(await current().grants.removeExpiredGrants(NOW, 0), 0);
        assert.equal(await current().grants.removeExpiredGrants(NOW, 2), 2);
        assert.equal(await current().grants.removeExpiredGrants(NOW, 2), 2);
        assert.equal(await current().grants.removeExpiredGrants(NOW, 2), 1);
        assert.equal(await current().grants.removeExpiredGrants(NOW, 2), 0);

        for (const g of expired) assert.equal(await current().grants.getGrant(g.key), undefined);
        for (const g of live) assert.deepEqual(await current().grants.getGrant(g.key), g);
      });

      it('refuses a negative or fractional limit', async () => {
        await current().grants.storeGrant(grant({ expiresAt: NOW - 1 }));
        await assert.rejects(current().grants.removeExpiredGrants(NOW, -1), RangeError);
        await assert.rejects(current().grants.removeExpiredGrants(NOW, 1.5), RangeError);
        assert.equal(await current().grants.removeExpiredGrants(NOW, 10), 1);
      });
    });
  });
}
