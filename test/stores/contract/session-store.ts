import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { SessionFilter, Stores, UserSession } from '../../../src/stores/types.ts';
import { NOW, minimalSession, session } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';
import { raceCallsInThreads, type ThreadConnection } from './race-in-threads.ts';

export function sessionStoreCases(current: () => Stores, connectionOf: (() => ThreadConnection | undefined) | undefined): void {
  describe('SessionStore', () => {
    const sessions = () => current().sessions;

    it('round-trips every field, with optional fields present and absent', async () => {
      const full = session();
      const minimal = minimalSession();
      await sessions().createSession(full);
      await sessions().createSession(minimal);
      assert.deepEqual(await sessions().findSession(full.key, NOW), full);
      const found = await sessions().findSession(minimal.key, NOW);
      assert.deepEqual(found, minimal);
      assert.ok(!('acr' in found!) && !('userAgent' in found) && !('ipAddress' in found));
    });

    it('returns an optional field set to undefined as absent', async () => {
      const s = session({ acr: undefined, userAgent: undefined, ipAddress: undefined });
      await sessions().createSession(s);
      const found = await sessions().findSession(s.key, NOW);
      assert.ok(found);
      assert.ok(!('acr' in found) && !('userAgent' in found) && !('ipAddress' in found));
    });

    it('finds nothing for an unknown key, nor a session expired at `now`, including one expiring exactly then', async () => {
      const s = session({ expiresAt: NOW });
      await sessions().createSession(s);
      assert.equal(await sessions().findSession('unknown', NOW), undefined);
      assert.deepEqual(await sessions().findSession(s.key, NOW - 1), s);
      assert.equal(await sessions().findSession(s.key, NOW), undefined);
      assert.equal(await sessions().findSession(s.key, NOW + 1), undefined);
    });

    it('rejects a duplicate key or session id and keeps the original', async () => {
      const original = session();
      await sessions().createSession(original);
      const sameKey = session({ key: original.key });
      const sameSid = session({ sessionId: original.sessionId });
      await assert.rejects(sessions().createSession(sameKey), DuplicateKeyError);
      await assert.rejects(sessions().createSession(sameSid), DuplicateKeyError);
      assert.deepEqual(await sessions().findSession(original.key, NOW), original);
      assert.equal(await sessions().findSession(sameSid.key, NOW), undefined);
      assert.deepEqual(await sessions().listSessions({ sessionId: original.sessionId }, NOW), [original]);
    });

    it('removes a session and returns it', async () => {
      const s = session();
      await sessions().createSession(s);
      assert.deepEqual(await sessions().removeSession(s.key), s);
      assert.equal(await sessions().findSession(s.key, NOW), undefined);
      assert.equal(await sessions().removeSession(s.key), undefined);
      // Its sid is free again.
      await sessions().createSession(session({ sessionId: s.sessionId }));
    });

    describe('touchSession', () => {
      it('adds a new client id at the end, sets the last activity, and keeps the expiry when none is given', async () => {
        const s = session({ clientIds: ['client-a'] });
        await sessions().createSession(s);
        const touched = await sessions().touchSession(s.key, { clientId: 'client-b', lastActivityAt: NOW }, NOW);
        const expected = { ...s, clientIds: ['client-a', 'client-b'], lastActivityAt: NOW };
        assert.deepEqual(touched, expected);
        assert.deepEqual(await sessions().findSession(s.key, NOW), expected);
      });

      it('lists a client once, however often it is added, in the order clients first came', async () => {
        const s = minimalSession();
        await sessions().createSession(s);
        for (const clientId of ['c', 'a', 'c', 'b', 'a']) await sessions().touchSession(s.key, { clientId, lastActivityAt: NOW }, NOW);
        assert.deepEqual((await sessions().findSession(s.key, NOW))?.clientIds, ['c', 'a', 'b']);
      });

      // Client ids are opaque strings: one that looks like JSON or a JSON path must still be one element.
      it('keeps client ids with quotes, brackets and dollar signs whole', async () => {
        const s = minimalSession();
        await sessions().createSession(s);
        const odd = ['"quoted"', '$[#]', '["a"]', 'a,b', 'é ✓'];
        for (const clientId of [...odd, ...odd]) await sessions().touchSession(s.key, { clientId, lastActivityAt: NOW }, NOW);
        assert.deepEqual((await sessions().findSession(s.key, NOW))?.clientIds, odd);
        for (const clientId of odd) assert.equal((await sessions().listSessions({ clientId }, NOW)).length, 1, clientId);
        assert.deepEqual(await sessions().listSessions({ clientId: 'a' }, NOW), []);
      });

      it('slides the expiry when one is given, later or earlier', async () => {
        const s = session({ expiresAt: NOW + 10 });
        await sessions().createSession(s);
        assert.equal((await sessions().touchSession(s.key, { lastActivityAt: NOW, expiresAt: NOW + 1000 }, NOW))?.expiresAt, NOW + 1000);
        assert.deepEqual(await sessions().findSession(s.key, NOW + 999), { ...s, lastActivityAt: NOW, expiresAt: NOW + 1000 });
        assert.equal((await sessions().touchSession(s.key, { lastActivityAt: NOW + 1, expiresAt: NOW + 5 }, NOW + 1))?.expiresAt, NOW + 5);
        assert.equal(await sessions().findSession(s.key, NOW + 5), undefined);
      });

      it('returns undefined and changes nothing for an unknown or expired session, including one expiring exactly now', async () => {
        const s = session({ expiresAt: NOW, clientIds: [] });
        await sessions().createSession(s);
        assert.equal(await sessions().touchSession('unknown', { clientId: 'c', lastActivityAt: NOW }, NOW), undefined);
        assert.equal(await sessions().touchSession(s.key, { clientId: 'c', lastActivityAt: NOW, expiresAt: NOW + 1000 }, NOW), undefined);
        assert.deepEqual(await sessions().findSession(s.key, NOW - 1), s);
        assert.equal(await sessions().findSession('unknown', 0), undefined);
      });

      // Interleaved at every await in one thread: a touch that reads, awaits, then writes the client list loses ids.
      it('keeps every client id of 20 concurrent touches', async () => {
        const s = minimalSession();
        await sessions().createSession(s);
        const ids = Array.from({ length: 20 }, (_, i) => `client-${i}`);
        await Promise.all(ids.map((clientId, i) => sessions().touchSession(s.key, { clientId, lastActivityAt: NOW + i }, NOW)));
        assert.deepEqual((await sessions().findSession(s.key, NOW))?.clientIds.toSorted(), ids.toSorted());
      });

      if (connectionOf) {
        it('keeps every client id when several threads, each on its own connection, touch one session at once', async () => {
          const connection = connectionOf();
          assert.ok(connection, 'open() gave no connection for other threads');
          const s = minimalSession();
          await sessions().createSession(s);
          const threads = 3;
          const rounds = 30;
          const clientOf = (round: number, thread: number) => `client-${round}-${thread}`;
          const results = await raceCallsInThreads<'sessions', 'touchSession'>(connection, {
            store: 'sessions',
            method: 'touchSession',
            rounds,
            threads,
            argsOf: (round, thread) => [s.key, { clientId: clientOf(round, thread), lastActivityAt: NOW }, NOW],
          });
          assert.ok(results.flat().every((result) => result !== undefined));
          const expected = Array.from({ length: rounds }, (_, round) => Array.from({ length: threads }, (_, thread) => clientOf(round, thread))).flat();
          assert.deepEqual((await sessions().findSession(s.key, NOW))?.clientIds.toSorted(), expected.toSorted());
        });
      }
    });

    describe('listSessions', () => {
      // Keys name the sessions so failures read well; created oldest first in a scrambled order.
      const matrix: readonly UserSession[] = [
        session({ key: 'alice-2', sessionId: 'sid-a2', subjectId: 'alice', clientIds: ['B'], createdAt: NOW - 2000 }),
        session({ key: 'alice-1', sessionId: 'sid-a1', subjectId: 'alice', clientIds: ['A', 'B'], createdAt: NOW - 3000 }),
        minimalSession({ key: 'bob-1', sessionId: 'sid-b1', subjectId: 'bob', clientIds: ['A'], createdAt: NOW - 1000 }),
        session({ key: 'alice-expired', sessionId: 'sid-ax', subjectId: 'alice', clientIds: ['A', 'B'], createdAt: NOW - 4000, expiresAt: NOW }),
        minimalSession({ key: 'carol-1', sessionId: 'sid-c1', subjectId: 'carol', createdAt: NOW - 500 }),
      ];
      const cases: ReadonlyArray<readonly [SessionFilter, readonly string[]]> = [
        [{ subjectId: 'alice' }, ['alice-1', 'alice-2']],
        [{ sessionId: 'sid-b1' }, ['bob-1']],
        [{ sessionId: 'sid-ax' }, []],
        [{ clientId: 'A' }, ['alice-1', 'bob-1']],
        [{ clientId: 'B' }, ['alice-1', 'alice-2']],
        [{ subjectId: 'alice', clientId: 'A' }, ['alice-1']],
        [{ subjectId: 'bob', sessionId: 'sid-a1' }, []],
        [{ subjectId: 'alice', sessionId: 'sid-a2', clientId: 'B' }, ['alice-2']],
        [{ subjectId: 'carol' }, ['carol-1']],
        [{ clientId: 'nobody' }, []],
      ];

      for (const [filter, expected] of cases) {
        it(`lists the unexpired sessions matching ${JSON.stringify(filter)}, oldest first`, async () => {
          for (const s of matrix) await sessions().createSession(s);
          assert.deepEqual(
            (await sessions().listSessions(filter, NOW)).map((s) => s.key),
            expected,
          );
        });
      }

      it('returns whole sessions', async () => {
        for (const s of matrix) await sessions().createSession(s);
        assert.deepEqual(await sessions().listSessions({ subjectId: 'bob' }, NOW), [matrix[2]]);
      });

      it('refuses an empty filter', async () => {
        await sessions().createSession(session());
        await assert.rejects(sessions().listSessions({}, NOW), TypeError);
        await assert.rejects(sessions().listSessions({ subjectId: undefined } as unknown as SessionFilter, NOW), TypeError);
      });
    });

    it('removes at most `limit` expired sessions and never an unexpired one', async () => {
      const expired = [1, 2, 3, 4].map((age) => session({ expiresAt: NOW - age }));
      expired.push(session({ expiresAt: NOW }));
      const live = [session({ expiresAt: NOW + 1 }), minimalSession()];
      for (const s of [...live, ...expired]) await sessions().createSession(s);

      assert.equal(await sessions().removeExpiredSessions(NOW, 0), 0);
      assert.equal(await sessions().removeExpiredSessions(NOW, 2), 2);
      assert.equal(await sessions().removeExpiredSessions(NOW, 2), 2);
      assert.equal(await sessions().removeExpiredSessions(NOW, 2), 1);
      assert.equal(await sessions().removeExpiredSessions(NOW, 2), 0);
      for (const s of expired) assert.equal(await sessions().removeSession(s.key), undefined);
      for (const s of live) assert.deepEqual(await sessions().findSession(s.key, NOW), s);
      await assert.rejects(sessions().removeExpiredSessions(NOW, -1), RangeError);
      await assert.rejects(sessions().removeExpiredSessions(NOW, 1.5), RangeError);
    });

    it('cannot be changed through its inputs or results', async () => {
      const s = session();
      const expected = structuredClone(s);
      await sessions().createSession(s);
      (s.amr as string[]).push('tampered');
      (s.clientIds as string[]).push('tampered');
      (s as { subjectId: string }).subjectId = 'tampered';
      tryToMutate(await sessions().findSession(s.key, NOW));
      tryToMutate(await sessions().listSessions({ subjectId: 'alice' }, NOW));
      tryToMutate(await sessions().touchSession(s.key, { lastActivityAt: NOW }, NOW));
      const touched = { ...expected, lastActivityAt: NOW };
      assert.deepEqual(await sessions().findSession(s.key, NOW), touched);
      assert.deepEqual(await sessions().listSessions({ subjectId: 'alice' }, NOW), [touched]);
    });
  });
}
