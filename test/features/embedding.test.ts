import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { createIdProo, type IdProo } from '../../src/index.ts';
import { basic, postForm, testConfig } from '../support/server.ts';

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

describe('embedding the provider in an application', () => {
  let idproo: IdProo;
  const issuer = 'https://login.example.com/idp';
  before(async () => {
    idproo = await createIdProo({ config: testConfig(), issuer });
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
});
