import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { createEventSink } from '../../src/events/log-events.ts';
import { cleanupBatchSize, removeExpired, scheduleCleanup } from '../../src/provider/cleanup.ts';
import { createMemoryStores, openSqliteStores } from '../../src/stores/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { silentLogger } from '../../src/util/logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-cleanup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const now = 1_000_000;
const clock = { now: () => now };

interface Batch {
  readonly store: 'grants' | 'revocations';
  readonly limit: number;
  readonly removed: number;
  /** How often the event loop had turned when the batch started. */
  readonly turns: number;
}

/**
 * The stores with every removeExpired* call recorded, and a ticker that counts turns of the event loop:
 * it re-arms itself with setImmediate, so it runs once per turn, and only when the loop gets one.
 */
function observed(stores: Pick<Stores, 'grants' | 'revocations'>) {
  const batches: Batch[] = [];
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const { grants, revocations } = stores;
  return {
    batches,
    stopTicking: () => (ticking = false),
    stores: {
      grants: {
        ...grants,
        removeExpiredGrants: async (at: number, limit: number) => {
          const started = turns;
          const removed = await grants.removeExpiredGrants(at, limit);
          batches.push({ store: 'grants', limit, removed, turns: started });
          return removed;
        },
      },
      revocations: {
        ...revocations,
        removeExpiredRevocations: async (at: number, limit: number) => {
          const started = turns;
          const removed = await revocations.removeExpiredRevocations(at, limit);
          batches.push({ store: 'revocations', limit, removed, turns: started });
          return removed;
        },
      },
    },
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

describe('removal of expired grants', () => {
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
    assert.deepEqual(watch.batches.filter((b) => b.store === 'revocations').map((b) => b.removed), [1, 0, 0]);
    assert.ok(await stores.grants.getGrant('live'));
    assert.equal(await stores.grants.getGrant('old-0'), undefined);
    assert.equal(await stores.grants.getGrant('old-2499'), undefined);
    assert.equal(await stores.revocations.isTokenRevoked('live-jti'), true);
    assert.equal(await stores.revocations.isTokenRevoked('old-jti'), false);
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
      // Every batch after the first starts on a later turn of the event loop than the one before it.
      for (let i = 1; i < grantBatches.length; i++) assert.ok(grantBatches[i]!.turns > grantBatches[i - 1]!.turns, `no turn before batch ${i}`);
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
