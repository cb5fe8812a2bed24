import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgresStores } from '../../src/stores/postgres/postgres-stores.ts';
import { recordingLogger, type LogEntry } from '../support/logger.ts';
import { basic, postForm, startTestServer, testConfig, type TestServer } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../stores/test-database.ts';

// The provider reaches its database through a proxy the test controls: stopping the proxy takes the
// database out of reach (refused connections), blackhole() makes it silent (connect timeouts).
describe('an unreachable PostgreSQL database', { skip: noPostgres }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let entries: LogEntry[];
  before(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const stores = await openPostgresStores(url.href, { connectionTimeoutMs: 1_000 });
    const recording = recordingLogger(['error']);
    entries = recording.entries;
    server = await startTestServer({ config: testConfig(), stores, logger: recording.logger });
  });
  after(async () => {
    await server?.close();
    await proxy?.stop();
    await database?.drop();
  });

  const issue = () => postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: basic('reference-service', 'reference-secret') });
  const introspect = (token: string) => postForm(`${server.issuer}/connect/introspect`, { token }, { authorization: basic('urn:invoices', 'invoices-secret') });

  /** Runs `request`, asserting it answers within `ms`: an outage must never hang a request. */
  async function within<T>(ms: number, request: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await request();
    assert.ok(Date.now() - started < ms, `answered in ${Date.now() - started} ms, more than ${ms}`);
    return result;
  }

  function assertUnavailable(response: Awaited<ReturnType<typeof postForm>>) {
    assert.equal(response.status, 503, response.text);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.json?.['error'], 'temporarily_unavailable');
    assert.equal(typeof response.json?.['error_description'], 'string');
  }

  for (const [outage, takeDown] of [
    ['refuses connections', () => proxy.stop()],
    ['never answers', async () => proxy.blackhole()],
  ] as const) {
    it(`while it ${outage}, token and introspection answer 503 temporarily_unavailable with Retry-After, pages a 503 page, and service resumes by itself`, async () => {
      const issued = await issue();
      assert.equal(issued.status, 200, issued.text);
      const token = String(issued.json!['access_token']);
      assert.equal((await introspect(token)).json!['active'], true);

      await takeDown();
      assertUnavailable(await within(4_000, issue));
      assertUnavailable(await within(4_000, () => introspect(token)));
      const page = await within(4_000, () =>
        fetch(`${server.issuer}/connect/authorize?client_id=interactive&response_type=code&scope=invoices.read&redirect_uri=${encodeURIComponent('https://app.example.com/cb')}`),
      );
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('retry-after'), '5');
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok(entries.some((entry) => entry.obj['code'] === 'temporarily_unavailable'), 'the outage is logged');

      await proxy.stop();
      await proxy.start();
      const resumed = await issue();
      assert.equal(resumed.status, 200, resumed.text);
      assert.equal((await introspect(token)).json!['active'], true);
    });
  }
});
