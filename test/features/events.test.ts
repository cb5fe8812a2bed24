import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IdProoEvent } from '../../src/events/events.ts';
import { basic, postForm, startTestServer, testConfig, type TestServer } from '../support/server.ts';
import { recordingLogger } from '../support/logger.ts';

describe('typed events: raised in one place, logged, and handed to onEvent', () => {
  let server: TestServer;
  let events: IdProoEvent[];
  let failSubscriber = false;
  const log = recordingLogger();
  const token = (clientId: string, secret: string) =>
    postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: basic(clientId, secret) });
  const since = (start: number) => events.slice(start);

  before(async () => {
    events = [];
    server = await startTestServer({
      config: testConfig(),
      logger: log.logger,
      onEvent: (event) => {
        events.push(event);
        if (failSubscriber) throw new Error('metrics backend down');
      },
    });
  });
  after(() => server.close());

  it('start-up raises key.created for each configured algorithm', () => {
    assert.deepEqual(events.filter((e) => e.type === 'key.created').map((e) => (e as { alg: string }).alg).sort(), ['ES256', 'RS256']);
  });

  it('each access token raises token.issued with its client, grant, format, jti and scope', async () => {
    const start = events.length;
    const jwt = await token('service', 'service-secret');
    const reference = await token('reference-service', 'reference-secret');
    assert.equal(jwt.status, 200);
    assert.equal(reference.status, 200);
    const issued = since(start).filter((e) => e.type === 'token.issued');
    assert.deepEqual(
      issued.map(({ clientId, grantType, format, scope }) => ({ clientId, grantType, format, scope })),
      [
        { clientId: 'service', grantType: 'client_credentials', format: 'jwt', scope: 'invoices.read' },
        { clientId: 'reference-service', grantType: 'client_credentials', format: 'reference', scope: 'invoices.read' },
      ],
    );
    assert.equal(issued[0]!.jti, JSON.parse(Buffer.from(String(jwt.json!.access_token).split('.')[1]!, 'base64url').toString()).jti);
  });

  it('a revocation raises token.revoked', async () => {
    const accessToken = String((await token('reference-service', 'reference-secret')).json!.access_token);
    const start = events.length;
    await postForm(`${server.issuer}/connect/revocation`, { token: accessToken }, { authorization: basic('reference-service', 'reference-secret') });
    assert.deepEqual(
      since(start).map((e) => e.type),
      ['token.revoked'],
    );
  });

  it('a failed client authentication raises client.authentication_failed with the reason, which the client is not told', async () => {
    const start = events.length;
    const answer = await token('service', 'wrong');
    assert.equal(answer.status, 401);
    assert.equal(answer.json!.error_description, 'client authentication failed');
    assert.deepEqual(since(start), [{ type: 'client.authentication_failed', clientId: 'service', reason: 'wrong or expired secret' }]);
    const unknown = events.length;
    await token('nobody', 'x');
    assert.deepEqual(since(unknown), [{ type: 'client.authentication_failed', clientId: 'nobody', reason: 'unknown client' }]);
  });

  it('every event is logged with its type under "event", its fields, and the level and message of the event table', async () => {
    const start = log.entries.length;
    await token('service', 'wrong');
    const entries = log.entries.slice(start).filter((e) => e.obj.event === 'client.authentication_failed');
    assert.deepEqual(
      entries.map((e) => ({ level: e.level, obj: e.obj, msg: e.msg })),
      [{ level: 'info', obj: { event: 'client.authentication_failed', clientId: 'service', reason: 'wrong or expired secret' }, msg: 'client authentication failed for service: wrong or expired secret' }],
    );
    const shortSecrets = log.entries.find((e) => e.obj.event === 'config.short_secrets');
    assert.equal(shortSecrets?.level, 'warn', 'the test configuration has short secrets, warned about at start');
    assert.ok(log.entries.some((e) => e.obj.event === 'token.issued' && e.level === 'debug'), 'tokens are logged at debug level');
  });

  it('a subscriber that throws is logged and the request still succeeds', async () => {
    failSubscriber = true;
    const start = log.entries.length;
    try {
      assert.equal((await token('service', 'service-secret')).status, 200);
    } finally {
      failSubscriber = false;
    }
    const failures = log.entries.slice(start).filter((e) => e.obj.event === 'events.subscriber_failed');
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.level, 'error');
  });
});
