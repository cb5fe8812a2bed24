import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { createTestDatabase, noPostgres, type TestDatabase } from '../stores/test-database.ts';
import { cliEnv, freePort, killRemaining, listeningOrExited, repo, spawnCli, stopCli, type CliProcess } from '../support/cli-process.ts';

const demo = join(repo, 'demo', 'idproo.json');
const env = cliEnv({ IDPROO_DATA_KEY: randomBytes(32).toString('base64') });

async function startOn(url: string, port: number): Promise<CliProcess> {
  const cli = spawnCli(['start', '--config', demo, '--db', url, '--port', String(port)], { env });
  if ((await listeningOrExited(cli)) !== 'listening') assert.fail(`the server exited with ${await cli.exited}\nstderr: ${cli.stderr}`);
  return cli;
}

/** A client-credentials token from the demo configuration's service client. */
async function clientCredentialsToken(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('demo-service:demo-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=demo-api',
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { access_token: string }).access_token;
}

async function jwksKids(port: number): Promise<string[]> {
  const { keys } = (await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration/jwks`)).json()) as { keys: Array<{ kid: string }> };
  return keys.map((key) => key.kid);
}

describe('idproo start on PostgreSQL', { skip: noPostgres }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    killRemaining();
    await database?.drop();
  });

  it('issues a client-credentials token, and signs with the same key after a restart', async () => {
    const port = await freePort();
    const first = await startOn(database.url, port);
    let kid: string | undefined;
    let kids: string[];
    try {
      kid = decodeProtectedHeader(await clientCredentialsToken(port)).kid;
      kids = await jwksKids(port);
      assert.ok(kid !== undefined && kids.includes(kid));
    } finally {
      assert.equal(await stopCli(first), 0);
    }
    const second = await startOn(database.url, port);
    try {
      assert.equal(decodeProtectedHeader(await clientCredentialsToken(port)).kid, kid);
      assert.deepEqual(await jwksKids(port), kids);
    } finally {
      assert.equal(await stopCli(second), 0);
    }
  });
});
