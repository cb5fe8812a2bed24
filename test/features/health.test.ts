import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgresStores } from '../../src/stores/postgres/postgres-stores.ts';
import { recordingLogger } from '../support/logger.ts';
import { startTestServer, testConfig, type TestServer } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../stores/test-database.ts';

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), json: (await response.json()) as unknown };
};

describe('health probes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: testConfig() });
  });
  after(() => server.close());

  it('/health/live answers 200 {"status":"ok"} while the process serves', async () => {
    assert.deepEqual(await get(`${server.issuer}/health/live`), { status: 200, cacheControl: 'no-store', json: { status: 'ok' } });
  });

  it('/health/ready answers 200 {"status":"ok"} when the stores answer', async () => {
    assert.deepEqual(await get(`${server.issuer}/health/ready`), { status: 200, cacheControl: 'no-store', json: { status: 'ok' } });
  });

  it('the probes are not advertised in discovery', async () => {
    const discovery = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).text();
    assert.doesNotMatch(discovery, /health/);
  });
});

describe('health probes with a PostgreSQL store', { skip: noPostgres }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  before(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const stores = await openPostgresStores(url.href, { connectionTimeoutMs: 1_000 });
    server = await startTestServer({ config: testConfig(), stores, logger: recordingLogger([]).logger });
  });
  after(async () => {
    await server?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('/health/ready answers 503 {"status":"unavailable"} while the server is unreachable, and 200 again once it is back', async () => {
    assert.equal((await get(`${server.issuer}/health/ready`)).status, 200);
    await proxy.stop();
    const started = Date.now();
    assert.deepEqual(await get(`${server.issuer}/health/ready`), { status: 503, cacheControl: 'no-store', json: { status: 'unavailable' } });
    assert.ok(Date.now() - started < 3_000, 'answers within the readiness timeout');
    assert.deepEqual(await get(`${server.issuer}/health/live`), { status: 200, cacheControl: 'no-store', json: { status: 'ok' } });
    await proxy.start();
    assert.equal((await get(`${server.issuer}/health/ready`)).status, 200);
  });

  it('/health/ready answers 503 once the pool is closed, while /health/live still answers 200', async () => {
    await server.idproo.services.stores.close();
    assert.deepEqual(await get(`${server.issuer}/health/ready`), { status: 503, cacheControl: 'no-store', json: { status: 'unavailable' } });
    assert.equal((await get(`${server.issuer}/health/live`)).status, 200);
  });
});
