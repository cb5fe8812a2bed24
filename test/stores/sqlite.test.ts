import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqliteStores } from '../../src/stores/sqlite/sqlite-stores.ts';
import { runStoreContract } from './contract.ts';
import { NOW, fullClient, grant, minimalGrant, resources, signingKey, user } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-stores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `stores-${++files}.db`);

runStoreContract('sqlite file', () => openSqliteStores(freshPath()));
runStoreContract('sqlite :memory:', () => openSqliteStores(':memory:'));

describe('sqlite stores on disk', () => {
  it('creates missing parent directories, WAL mode and the schema version', async () => {
    const path = join(dir, 'nested', 'deeper', 'idproo.db');
    await openSqliteStores(path).close();
    const db = new DatabaseSync(path);
    try {
      assert.deepEqual({ ...db.prepare('PRAGMA journal_mode').get() }, { journal_mode: 'wal' });
      assert.deepEqual({ ...db.prepare('PRAGMA user_version').get() }, { user_version: 1 });
    } finally {
      db.close();
    }
  });

  it('keeps everything across close and reopen', async () => {
    const path = freshPath();
    const g = grant();
    const consumed = minimalGrant();
    const first = openSqliteStores(path);
    await first.clients.replaceClients([fullClient('a')]);
    await first.resources.replaceResources(resources());
    await first.users.replaceUsers([user('1', 'alice')]);
    await first.grants.storeGrant(g);
    await first.grants.storeGrant(consumed);
    await first.grants.consumeGrant(consumed.key, NOW);
    await first.revocations.revokeToken('jti', NOW + 1000);
    await first.signingKeys.addKey(signingKey('k1'));
    await first.close();

    const second = openSqliteStores(path);
    try {
      assert.deepEqual(await second.clients.listClients(), [fullClient('a')]);
      assert.deepEqual(await second.resources.getAllResources(), resources());
      assert.deepEqual(await second.users.findUserByUsername('alice'), user('1', 'alice'));
      assert.deepEqual(await second.grants.getGrant(g.key), g);
      assert.deepEqual(await second.grants.getGrant(consumed.key), { ...consumed, consumedAt: NOW });
      assert.equal(await second.grants.consumeGrant(consumed.key, NOW + 1), undefined);
      assert.equal(await second.revocations.isTokenRevoked('jti'), true);
      assert.deepEqual(await second.signingKeys.listKeys(), [signingKey('k1')]);
    } finally {
      await second.close();
    }
  });

  it('refuses a database written by a newer schema', async () => {
    const path = freshPath();
    await openSqliteStores(path).close();
    const db = new DatabaseSync(path);
    db.exec('PRAGMA user_version = 99');
    db.close();
    assert.throws(() => openSqliteStores(path), /newer than this IdProo supports/);
  });

  it('lets exactly one of two connections to the same file consume a grant', async () => {
    const path = freshPath();
    const a = openSqliteStores(path);
    const b = openSqliteStores(path);
    try {
      const g = grant();
      await a.grants.storeGrant(g);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).grants.consumeGrant(g.key, NOW)),
      );
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      assert.equal((await b.grants.getGrant(g.key))?.consumedAt, NOW);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets exactly one of several threads consume a grant at the same instant', async () => {
    const path = freshPath();
    const stores = openSqliteStores(path);
    const g = grant();
    await stores.grants.storeGrant(g);
    await stores.close();

    // Slot 0 counts threads ready; slot 1 is the start signal, so all consume calls race for real.
    const threads = 8;
    const shared = new SharedArrayBuffer(8);
    const flags = new Int32Array(shared);
    const moduleUrl = new URL('../../src/stores/sqlite/sqlite-stores.ts', import.meta.url).href;
    const workers = Array.from(
      { length: threads },
      () =>
        new Worker(
          `
          const { workerData, parentPort } = require('node:worker_threads');
          (async () => {
            const { openSqliteStores } = await import(workerData.moduleUrl);
            const stores = openSqliteStores(workerData.path);
            const flags = new Int32Array(workerData.shared);
            Atomics.add(flags, 0, 1);
            Atomics.wait(flags, 1, 0);
            const won = (await stores.grants.consumeGrant(workerData.key, workerData.now)) !== undefined;
            await stores.close();
            parentPort.postMessage(won);
          })();
          `,
          { eval: true, workerData: { moduleUrl, path, shared, key: g.key, now: NOW } },
        ),
    );
    let failed = false;
    const results = workers.map((worker) =>
      once(worker, 'message').then(
        ([won]) => won as boolean,
        (error: unknown) => {
          failed = true;
          throw error;
        },
      ),
    );
    // A thread that dies before it is ready must fail the test, not leave this loop waiting forever.
    while (Atomics.load(flags, 0) < threads && !failed) await new Promise((resolve) => setTimeout(resolve, 5));
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);

    assert.equal((await Promise.all(results)).filter(Boolean).length, 1);
  });
});
