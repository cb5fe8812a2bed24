import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStores } from '../../src/stores/open-stores.ts';
import { createTestDatabase, noPostgres } from './test-database.ts';
import { fullClient } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-open-stores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openStores', () => {
  it('opens memory stores', async () => {
    const stores = await openStores('memory:');
    await stores.clients.saveClient(fullClient('a'));
    assert.deepEqual(await stores.clients.findClientById('a'), fullClient('a'));
    await stores.close();
  });

  it('opens a SQLite file relative to the working directory', async () => {
    const path = join(dir, 'data', 'idproo.db');
    const stores = await openStores(`sqlite:${relative(process.cwd(), path)}`);
    await stores.clients.saveClient(fullClient('a'));
    await stores.close();
    assert.ok(existsSync(path));
  });

  it('opens an absolute SQLite path and sqlite::memory:', async () => {
    for (const url of [`sqlite:${join(dir, 'absolute.db')}`, 'sqlite::memory:']) {
      const stores = await openStores(url);
      assert.deepEqual(await stores.signingKeys.listKeys(), []);
      await stores.close();
    }
  });

  it('opens postgres:// and postgresql:// URLs, and says what failed without echoing the password', async () => {
    for (const url of ['postgres://app:s3cret@127.0.0.1:1/idproo', 'postgresql://app:s3cret@127.0.0.1:1/idproo']) {
      await assert.rejects(
        openStores(url),
        (error: Error) => /opening the PostgreSQL store at 127\.0\.0\.1:1\/idproo failed/.test(error.message) && !error.message.includes('s3cret'),
      );
    }
  });

  it('opens a PostgreSQL database', { skip: noPostgres }, async () => {
    const database = await createTestDatabase();
    try {
      const stores = await openStores(database.url);
      await stores.clients.saveClient(fullClient('a'));
      assert.deepEqual(await stores.clients.findClientById('a'), fullClient('a'));
      await stores.close();
    } finally {
      await database.drop();
    }
  });

  it('names the accepted forms for anything else', async () => {
    for (const url of ['', 'mysql://db/x', 'sqlite:', 'sqlite://data/x.db', 'memory', './idproo.db', 'postgres:idproo']) {
      await assert.rejects(openStores(url), /"memory:".*"sqlite:PATH"/, url);
    }
  });
});
