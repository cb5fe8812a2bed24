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

  // RFC 7662 §2.1 and RFC 7009 §2.1: token_type_hint is an optimisation; a token not found under it is
  // searched for under every type, so an unknown or wrong hint answers exactly as no hint does.
  for (const format of ['jwt', 'reference'] as const) {
    for (const hint of [undefined, 'foo', 'refresh_token', 'access_token']) {
      const label = hint === undefined ? 'no hint' : `token_type_hint=${hint}`;
      it(`${format} token, ${label}: introspection answers as without a hint, and revocation revokes`, async () => {
        const owner = format === 'jwt' ? service : referenceService;
        const { access_token } = await client.clientCredentialsGrant(owner, { scope: 'invoices.read' });
        const parameters = hint === undefined ? undefined : { token_type_hint: hint };
        const plain = await client.tokenIntrospection(invoicesApi, access_token);
        const hinted = await client.tokenIntrospection(invoicesApi, access_token, parameters);
        assert.equal(hinted.active, true);
        assert.deepEqual({ ...hinted }, { ...plain });
        await client.tokenRevocation(owner, access_token, parameters);
        assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, access_token, parameters)) }, { active: false });
      });
    }
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

describe('tokens die with their client', () => {
  // Clients the store owns (written through the API or, later, dynamic registration) and clients the
  // configuration file owns (changed by editing the file, applied at the next start).
  for (const owner of ['store', 'configuration'] as const) {
    for (const change of ['disabled', 'removed'] as const) {
      it(`JWT and reference tokens of a ${owner}-owned client that was ${change} introspect as inactive, and the token endpoint refuses the client`, async () => {
        const server = await startTestServer({ config: testConfig() });
        try {
          const clients = server.idproo.services.stores.clients;
          const ids = owner === 'store' ? ['job', 'job-reference'] : ['service', 'reference-service'];
          if (owner === 'store') {
            const template = (await clients.findClientById('service'))!;
            await clients.saveClient({ ...template, clientId: 'job' });
            await clients.saveClient({ ...template, clientId: 'job-reference', accessTokenType: 'reference' });
          }
          const secret = (id: string) => (owner === 'store' ? 'service-secret' : id === 'service' ? 'service-secret' : 'reference-secret');
          const jwtClient = await rp(server, ids[0]!, secret(ids[0]!));
          const referenceClient = await rp(server, ids[1]!, secret(ids[1]!));
          const invoicesApi = await rp(server, 'urn:invoices', 'invoices-secret');
          const jwt = (await client.clientCredentialsGrant(jwtClient, { scope: 'invoices.read' })).access_token;
          const reference = (await client.clientCredentialsGrant(referenceClient, { scope: 'invoices.read' })).access_token;
          assert.equal(jwt.split('.').length, 3);
          assert.equal(reference.split('.').length, 1);
          assert.equal((await client.tokenIntrospection(invoicesApi, jwt)).active, true, 'control: active before the change');
          assert.equal((await client.tokenIntrospection(invoicesApi, reference)).active, true, 'control: active before the change');

          if (owner === 'store') {
            for (const id of ids) {
              if (change === 'removed') assert.equal(await clients.removeClient(id), true);
              else await clients.saveClient({ ...(await clients.findClientById(id))!, enabled: false });
            }
          } else {
            const configured = (await clients.listClients()).filter((c) => c.clientId !== 'job' && c.clientId !== 'job-reference');
            const edited = change === 'removed' ? configured.filter((c) => !ids.includes(c.clientId)) : configured.map((c) => (ids.includes(c.clientId) ? { ...c, enabled: false } : c));
            await clients.syncConfiguredClients(edited);
          }

          assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, jwt)) }, { active: false });
          assert.deepEqual({ ...(await client.tokenIntrospection(invoicesApi, reference)) }, { active: false });
          for (const refused of [jwtClient, referenceClient]) {
            await assert.rejects(client.clientCredentialsGrant(refused, { scope: 'invoices.read' }), (error: client.WWWAuthenticateChallengeError) => {
              assert.equal(error.status, 401);
              return true;
            });
          }
        } finally {
          await server.close();
        }
      });
    }
  }
});
