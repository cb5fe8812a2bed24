import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { createIdProo, type IdProo } from '../../src/index.ts';
import { basic, postForm, testConfig } from '../support/server.ts';
import { recordingLogger } from './hostile-support.ts';

/** The same provider mounted in the frameworks an embedding application is likely to use. */
async function exercise(base: string, issuer: string) {
  const discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as { issuer: string };
  assert.equal(discovery.issuer, issuer);
  const token = await postForm(`${base}/connect/token`, { grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: basic('service', 'service-secret') });
  assert.equal(token.status, 200, token.text);
  const introspection = await postForm(`${base}/connect/introspect`, { token: String(token.json!.access_token) }, { authorization: basic('urn:invoices', 'invoices-secret') });
  assert.equal(introspection.json!.active, true);
  const bad = await postForm(`${base}/connect/token`, 'grant_type=client_credentials&grant_type=x', { authorization: basic('service', 'service-secret') });
  assert.equal(bad.status, 400);
  assert.equal(bad.json!.error, 'invalid_request');
}

/** Serves an Express application on 127.0.0.1 for the duration of `run`. */
async function withExpress(app: express.Express, run: (base: string) => Promise<void>): Promise<void> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const tokenRequest = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('service', 'service-secret') },
    body: 'grant_type=client_credentials&scope=invoices.read',
    // A request that never gets an answer fails here instead of hanging the suite.
    signal: AbortSignal.timeout(5_000),
  });

describe('embedding the provider in an application', () => {
  let idproo: IdProo;
  const issuer = 'https://login.example.com/idp';
  const log = recordingLogger();
  before(async () => {
    idproo = await createIdProo({ config: testConfig(), issuer, logger: log.logger });
  });
  after(() => idproo.close());

  it('Express: mounted under a path, unknown paths fall through to the application', async () => {
    const app = express();
    app.use('/idp', idproo.handler);
    app.get('/hello', (_req, res) => {
      res.send('app');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await exercise(`${base}/idp`, issuer);
      assert.equal(await (await fetch(`${base}/hello`)).text(), 'app');
      assert.equal((await fetch(`${base}/idp/nothing-here`)).status, 404);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  // Body parsers that keep the exact bytes leave IdProo what the client sent; see README "As a library".
  for (const [label, parser] of [
    ['express.raw()', express.raw({ type: 'application/x-www-form-urlencoded' })],
    ['express.text()', express.text({ type: 'application/x-www-form-urlencoded' })],
    ['express.json() (which leaves form bodies alone)', express.json()],
  ] as const) {
    it(`Express: mounted after ${label}, the provider reads the body the parser kept`, async () => {
      const app = express();
      app.use(parser);
      app.use('/idp', idproo.handler);
      await withExpress(app, (base) => exercise(`${base}/idp`, issuer));
    });
  }

  it('Express: mounted after express.urlencoded(), a token request fails at once with 500 and says to mount IdProo first; logged once', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use('/idp', idproo.handler);
    const before = log.entries.length;
    await withExpress(app, async (base) => {
      for (let i = 0; i < 3; i++) {
        const response = await tokenRequest(`${base}/idp/connect/token`);
        assert.equal(response.status, 500);
        const body = (await response.json()) as Record<string, string>;
        assert.equal(body.error, 'server_error');
        assert.match(body.error_description!, /mount IdProo before body parsers/);
      }
      // Endpoints that read no body are unaffected.
      assert.equal((await fetch(`${base}/idp/.well-known/openid-configuration`)).status, 200);
    });
    const logged = log.entries.slice(before);
    assert.equal(logged.length, 1, JSON.stringify(logged));
    assert.equal(logged[0]!.level, 'error');
    assert.match(logged[0]!.msg ?? '', /mount IdProo before body parsers/);
  });

  it('Fastify: routes handed to the provider with the body left unparsed', async () => {
    const app = Fastify();
    // The provider reads its own form bodies; Fastify must not consume them first.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    app.all('/idp/*', (request, reply) => {
      reply.hijack();
      request.raw.url = request.raw.url!.slice('/idp'.length);
      idproo.handler(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await exercise(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/idp`, issuer);
    } finally {
      await app.close();
    }
  });

  it('Fastify: with a content-type parser that consumes the body, a token request fails at once with 500 instead of hanging', async () => {
    const app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.post('/idp/*', (request, reply) => {
      reply.hijack();
      request.raw.url = request.raw.url!.slice('/idp'.length);
      idproo.handler(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await tokenRequest(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/idp/connect/token`);
      assert.equal(response.status, 500);
      assert.match(((await response.json()) as Record<string, string>).error_description!, /mount IdProo before body parsers/);
    } finally {
      await app.close();
    }
  });
});
