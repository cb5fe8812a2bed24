import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStores } from '../../src/stores/open-stores.ts';
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

  it('says postgres is not supported yet, without echoing the URL', async () => {
    for (const url of ['postgres://app:s3cret@db/idproo', 'postgresql://app:s3cret@db/idproo']) {
      await assert.rejects(
        openStores(url),
        (error: Error) => /postgres is not supported yet/.test(error.message) && !error.message.includes('s3cret'),
      );
    }
  });

  it('names the accepted forms for anything else', async () => {
    for (const url of ['', 'mysql://db/x', 'sqlite:', 'sqlite://data/x.db', 'memory', './idproo.db']) {
      await assert.rejects(openStores(url), /"memory:".*"sqlite:PATH"/, url);
    }
  });
});
