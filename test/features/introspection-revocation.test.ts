import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { startTestServer, testConfig, type TestServer } from '../support/server.ts';

const rp = (server: TestServer, clientId: string, secret: string) =>
  client.discovery(new URL(server.issuer), clientId, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });

describe('introspection (RFC 7662) and revocation (RFC 7009) with openid-client', () => {
  let server: TestServer;
  let service: client.Configuration;
  let referenceService: client.Configuration;
  let invoicesApi: client.Configuration;
  let ordersApi: client.Configuration;

  before(async () => {
    server = await startTestServer({ config: testConfig() });
    service = await rp(server, 'service', 'service-secret');
    referenceService = await rp(server, 'reference-service', 'reference-secret');
    // An API resource introspects with its name and one of its apiSecrets (Duende's model).
    invoicesApi = await rp(server, 'urn:invoices', 'invoices-secret');
    ordersApi = await rp(server, 'https://orders.example.com', 'orders-secret');
  });
  after(() => server.close());

  for (const format of ['jwt', 'reference'] as const) {
    describe(`${format} access tokens`, () => {
      const issue = (scope: string) => client.clientCredentialsGrant(format === 'jwt' ? service : referenceService, { scope });
      const owner = () => (format === 'jwt' ? service : referenceService);
      const clientId = format === 'jwt' ? 'service' : 'reference-service';

      it('an API in the audience learns the token is active, with its own scopes only', async () => {
        const { access_token } = await issue('invoices.read orders');
        const result = await client.tokenIntrospection(invoicesApi, access_token);
        assert.equal(result.active, true);
        assert.equal(result.client_id, clientId);
        assert.equal(result.sub, clientId);
        assert.equal(result.iss, server.issuer);
        assert.equal(result.scope, 'invoices.read');
        assert.equal(result.token_type, 'Bearer');
        assert.ok(typeof result.exp === 'number' && result.exp > Date.now() / 1000);
      });

      it('an API outside the audience learns nothing but active: false', async () => {
        const { access_token } = await issue('invoices.read');
        const result = await client.tokenIntrospection(ordersApi, access_token);
        assert.deepEqual({ ...result }, { active: false });
      });

      it('the client that owns the token may introspect it; another client may not', async () => {
        const { access_token } = await issue('invoices.read');
        assert.equal((await client.tokenIntrospection(owner(), access_token)).active, true);
        const other = format === 'jwt' ? referenceService : service;
        assert.deepEqual({ ...(await client.tokenIntrospection(other, access_token)) }, { active: false });
      });

      it('a revoked token introspects as inactive', async () => {
        const { access_token } = await issue('invoices.read');
        await client.tokenRevocation(owner(), access_token);
        assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, access_token)) }, { active: false });
      });

      it("another client's revocation request leaves the token alone and still answers 200", async () => {
        const { access_token } = await issue('invoices.read');
        await client.tokenRevocation(format === 'jwt' ? referenceService : service, access_token);
        assert.equal((await client.tokenIntrospection(invoicesApi, access_token)).active, true);
      });
    });
  }

  it('a token that was tampered with is inactive', async () => {
    const { access_token } = await client.clientCredentialsGrant(service, { scope: 'invoices.read' });
    const [header, payload, signature] = access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'invoices.write' })).toString('base64url')}.${signature}`;
    assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, forged)) }, { active: false });
  });

  it('an unsigned (alg none) token is inactive (RFC 8725 §3.2)', async () => {
    const { access_token } = await client.clientCredentialsGrant(service, { scope: 'invoices.read' });
    const payload = access_token.split('.')[1];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, none)) }, { active: false });
  });

  it('revoking an unknown token answers 200 (RFC 7009 §2.2)', async () => {
    await client.tokenRevocation(service, 'no-such-token');
  });
});
