import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStores } from '../../src/stores/sqlite/sqlite-stores.ts';
import { minimalClient } from '../stores/fixtures.ts';
import { cliEnv, freePort, killRemaining, listeningOrExited, repo, spawnCli, stopCli, type CliProcess } from '../support/cli-process.ts';

const demo = join(repo, 'demo', 'idproo.json');
const dir = mkdtempSync(join(tmpdir(), 'idproo-cli-sqlite-'));
after(() => {
  killRemaining();
  rmSync(dir, { recursive: true, force: true });
});
let runs = 0;
const freshDb = () => join(mkdtempSync(join(dir, `run-${++runs}-`)), 'idproo.db');
const env = cliEnv({ IDPROO_DATA_KEY: randomBytes(32).toString('base64') });

async function startOn(db: string, port: number): Promise<CliProcess> {
  const cli = spawnCli(['start', '--config', demo, '--db', `sqlite:${db}`, '--port', String(port)], { env });
  if ((await listeningOrExited(cli)) !== 'listening') assert.fail(`the server exited with ${await cli.exited}\nstderr: ${cli.stderr}`);
  return cli;
}

async function discoveryStatus(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status;
}

describe('idproo start on a SQLite file', { concurrency: true }, () => {
  it('refuses a second process on a file in use, naming PostgreSQL, while the first keeps serving', async () => {
    const db = freshDb();
    const port = await freePort();
    const first = await startOn(db, port);
    try {
      const otherPort = await freePort();
      const second = spawnCli(['start', '--config', demo, '--db', `sqlite:${db}`, '--port', String(otherPort)], { env });
      assert.equal(await second.exited, 1);
      assert.match(second.stderr, /^idproo: the SQLite database .*idproo\.db is in use by another IdProo process/);
      assert.match(second.stderr, /use PostgreSQL/);
      assert.doesNotMatch(second.stdout, /IdProo is listening/);
      assert.equal(await discoveryStatus(port), 200);
    } finally {
      assert.equal(await stopCli(first), 0);
    }
  });

  it('starts on the file at once after the process holding it was killed with SIGKILL: no stale lock', async () => {
    const db = freshDb();
    const port = await freePort();
    const first = await startOn(db, port);
    assert.equal(await stopCli(first, 'SIGKILL'), 'SIGKILL');
    const second = await startOn(db, port);
    try {
      assert.equal(await discoveryStatus(port), 200);
    } finally {
      assert.equal(await stopCli(second), 0);
    }
  });

  it('exits 1 naming the id when the configuration lists a client that was written through the store', async () => {
    const db = freshDb();
    const port = await freePort();
    // As an admin tool or dynamic registration would have, before the file named the same id.
    const stores = openSqliteStores(db);
    await stores.clients.saveClient(minimalClient('demo-service'));
    await stores.close();

    const refused = spawnCli(['start', '--config', demo, '--db', `sqlite:${db}`, '--port', String(port)], { env });
    assert.equal(await refused.exited, 1);
    assert.match(refused.stderr, /^idproo: the configuration file lists client "demo-service", which was created through the store/);
    assert.match(refused.stderr, /rename it in the configuration file/);
  });
});
