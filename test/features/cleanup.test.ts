import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { createEventSink } from '../../src/events/log-events.ts';
import { cleanupBatchSize, removeExpired, scheduleCleanup, type ExpiringStores } from '../../src/provider/cleanup.ts';
import { createMemoryStores, openSqliteStores } from '../../src/stores/index.ts';
import { silentLogger } from '../../src/util/logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-cleanup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const now = 1_000_000;
const clock = { now: () => now };

type StoreName = keyof ExpiringStores;

// The one method of each store that the cleanup calls.
const removals = {
  grants: 'removeExpiredGrants',
  revocations: 'removeExpiredRevocations',
  sessions: 'removeExpiredSessions',
  interactions: 'removeExpiredInteractions',
  consents: 'removeExpiredConsents',
  signInAttempts: 'removeExpiredAttempts',
} as const satisfies { readonly [S in StoreName]: keyof ExpiringStores[S] };

interface Batch {
  readonly store: StoreName;
  readonly limit: number;
  readonly removed: number;
  /** How often the event loop had turned when the batch started. */
  readonly turns: number;
}

/**
 * The stores with every removeExpired* call recorded, and a ticker that counts turns of the event loop:
 * it re-arms itself with setImmediate, so it runs once per turn, and only when the loop gets one.
 */
function observed(stores: ExpiringStores) {
  const batches: Batch[] = [];
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const wrap = (store: StoreName) => {
    const target = stores[store] as unknown as Record<string, (at: number, limit: number) => Promise<number>>;
    const method = removals[store];
    return {
      ...target,
      [method]: async (at: number, limit: number) => {
        const started = turns;
        const removed = await target[method]!(at, limit);
        batches.push({ store, limit, removed, turns: started });
        return removed;
      },
    };
  };
  const names = Object.keys(removals) as StoreName[];
  return {
    batches,
    /** What each store removed, batch by batch. */
    removedBy: (store: StoreName) => batches.filter((b) => b.store === store).map((b) => b.removed),
    stopTicking: () => (ticking = false),
    stores: Object.fromEntries(names.map((name) => [name, wrap(name)])) as unknown as ExpiringStores,
  };
}

/** A SQLite file with `count` expired reference-token grants, written in one transaction. */
async function sqliteWithExpiredGrants(count: number): Promise<string> {
  const path = join(dir, `cleanup-${++files}.db`);
  await openSqliteStores(path).close();
  const db = new DatabaseSync(path);
  db.exec('BEGIN');
  const insert = db.prepare(`INSERT INTO grants (key, type, client_id, created_at, expires_at, data) VALUES (?, 'reference_token', 'c', 0, ?, '{}')`);
  for (let i = 0; i < count; i++) insert.run(`old-${i}`, now - 1);
  db.exec('COMMIT');
  db.close();
  return path;
}

describe('removal of expired rows', () => {
  it('removes every expired grant and revocation in batches of at most 1000, and nothing live', async () => {
    const stores = createMemoryStores();
    for (let i = 0; i < 2500; i++) {
      await stores.grants.storeGrant({ key: `old-${i}`, type: 'reference_token', clientId: 'c', createdAt: 0, expiresAt: now - 1, data: '{}' });
    }
    await stores.grants.storeGrant({ key: 'live', type: 'reference_token', clientId: 'c', createdAt: 0, expiresAt: now + 1, data: '{}' });
    await stores.revocations.revokeToken('old-jti', now - 1);
    await stores.revocations.revokeToken('live-jti', now + 1000);
    const watch = observed(stores);
    assert.equal(await removeExpired(watch.stores, clock), 2501);
    watch.stopTicking();

    assert.equal(cleanupBatchSize, 1000);
    const grantBatches = watch.batches.filter((b) => b.store === 'grants');
    assert.deepEqual(grantBatches.map((b) => [b.limit, b.removed]), [[1000, 1000], [1000, 1000], [1000, 500]]);
    // A store whose batch came back short has nothing expired left: later passes skip it.
    assert.deepEqual(watch.removedBy('revocations'), [1]);
    assert.ok(await stores.grants.getGrant('live'));
    assert.equal(await stores.grants.getGrant('old-0'), undefined);
    assert.equal(await stores.grants.getGrant('old-2499'), undefined);
    assert.equal(await stores.revocations.isTokenRevoked('live-jti'), true);
    assert.equal(await stores.revocations.isTokenRevoked('old-jti'), false);
    await stores.close();
  });

  it('removes expired sessions, interactions, consents and sign-in attempt counts in batches too, and nothing live', async () => {
    const stores = createMemoryStores();
    const session = (key: string, expiresAt: number) => ({
      key, sessionId: `sid-${key}`, subjectId: 'alice', authTime: 0, amr: ['pwd'], clientIds: [], createdAt: 0, lastActivityAt: 0, expiresAt, persistent: false,
    });
    const interaction = (key: string, expiresAt: number, consumedAt?: number) => ({
      key, browserKey: `browser-${key}`, clientId: 'c', createdAt: 0, expiresAt, data: '{}', ...(consumedAt === undefined ? {} : { consumedAt }),
    });
    for (let i = 0; i < 1200; i++) await stores.sessions.createSession(session(`old-${i}`, now - 1));
    await stores.sessions.createSession(session('live', now + 1));
    await stores.interactions.createInteraction(interaction('old', now));
    await stores.interactions.createInteraction(interaction('old-consumed', now - 1, now - 2));
    // Consumed, but not yet expired: it must stay, so that a replayed answer is still recognised as one.
    await stores.interactions.createInteraction(interaction('consumed', now + 1, now - 1));
    await stores.consents.saveConsent({ subjectId: 'alice', clientId: 'old', scopes: ['openid'], createdAt: 0, expiresAt: now });
    await stores.consents.saveConsent({ subjectId: 'alice', clientId: 'forever', scopes: ['openid'], createdAt: 0 });
    await stores.signInAttempts.recordFailure('old', now - 10, 10);
    await stores.signInAttempts.recordFailure('live', now - 10, 11);

    const watch = observed(stores);
    assert.equal(await removeExpired(watch.stores, clock), 1200 + 2 + 1 + 1);
    watch.stopTicking();

    assert.deepEqual(watch.removedBy('sessions'), [1000, 200]);
    assert.deepEqual(watch.removedBy('interactions'), [2]);
    assert.deepEqual(watch.removedBy('consents'), [1]);
    assert.deepEqual(watch.removedBy('signInAttempts'), [1]);
    assert.ok(watch.batches.every((b) => b.limit === cleanupBatchSize));
    assert.equal(await stores.sessions.removeSession('old-0'), undefined);
    assert.ok(await stores.sessions.findSession('live', now));
    assert.equal(await stores.interactions.findInteraction('old'), undefined);
    assert.equal(await stores.interactions.findInteraction('old-consumed'), undefined);
    assert.equal((await stores.interactions.consumeInteraction('consumed', now)).outcome, 'replayed');
    assert.equal(await stores.consents.removeConsent('alice', 'old'), false);
    assert.ok(await stores.consents.findConsent('alice', 'forever', now));
    assert.equal(await stores.signInAttempts.getAttempts('old', now - 1), undefined);
    assert.equal((await stores.signInAttempts.getAttempts('live', now))?.count, 1);
    await stores.close();
  });

  it('lets the event loop turn between batches: a timer keeps firing while 200,000 expired rows leave a SQLite file', async () => {
    const path = await sqliteWithExpiredGrants(200_000);
    const stores = openSqliteStores(path);
    try {
      await stores.grants.storeGrant({ key: 'live', type: 'reference_token', clientId: 'c', createdAt: 0, expiresAt: now + 1, data: '{}' });
      const watch = observed(stores);
      let fired = 0;
      const timer = setInterval(() => fired++, 1);
      const removed = await removeExpired(watch.stores, clock);
      clearInterval(timer);
      watch.stopTicking();

      assert.equal(removed, 200_000);
      assert.ok(await stores.grants.getGrant('live'));
      const grantBatches = watch.batches.filter((b) => b.store === 'grants');
      assert.ok(grantBatches.length >= 200, `${grantBatches.length} batches`);
      assert.ok(grantBatches.every((b) => b.limit === 1000 && b.removed <= 1000));
      // Every batch after the first, whichever its store, starts on a later turn of the event loop than the one before it.
      const all = watch.batches;
      for (let i = 1; i < all.length; i++) assert.ok(all[i]!.turns > all[i - 1]!.turns, `no turn before batch ${i} (${all[i]!.store})`);
      assert.ok(fired >= 20, `the 1 ms timer fired ${fired} times during the cleanup`);
    } finally {
      await stores.close();
    }
  });

  it('stops between batches when the schedule is stopped, and stop() waits for the batch in progress', async () => {
    const path = await sqliteWithExpiredGrants(50_000);
    const stores = openSqliteStores(path);
    const watch = observed(stores);
    const stop = scheduleCleanup(watch.stores, clock, createEventSink(silentLogger), 1);
    while (watch.batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await stop();
    const batchesAtStop = watch.batches.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    watch.stopTicking();
    assert.equal(watch.batches.length, batchesAtStop, 'no batch after stop() resolved');
    const left = await stores.grants.removeExpiredGrants(now, 100_000);
    assert.ok(left > 0, 'the pass stopped before the backlog was gone');
    await stores.close();
  });
});
