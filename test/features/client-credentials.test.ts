import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { handleKey } from '../../src/util/crypto.ts';
import { startTestServer, testConfig, type TestServer } from '../support/server.ts';

/** openid-client v6 is the relying party throughout: discovery, then the grant, as an application would. */
async function relyingParty(server: TestServer, clientId: string, secret: string, auth: 'basic' | 'post' = 'basic') {
  return client.discovery(new URL(server.issuer), clientId, undefined, auth === 'basic' ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret), {
    execute: [client.allowInsecureRequests],
  });
}

describe('client credentials grant (RFC 6749 §4.4) with openid-client', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: testConfig() });
  });
  after(() => server.close());

  it('discovery is found by openid-client and names the endpoints that exist', async () => {
    const config = await relyingParty(server, 'service', 'service-secret');
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, server.issuer);
    assert.equal(metadata.token_endpoint, `${server.issuer}/connect/token`);
    assert.equal(metadata.introspection_endpoint, `${server.issuer}/connect/introspect`);
    assert.equal(metadata.revocation_endpoint, `${server.issuer}/connect/revocation`);
    assert.deepEqual(metadata.grant_types_supported, ['client_credentials', 'refresh_token']);
    assert.equal(metadata.authorization_endpoint, undefined, 'no authorization endpoint is advertised before it exists');
    assert.deepEqual(metadata.response_types_supported, []);
    assert.deepEqual(metadata.scopes_supported, ['invoices.read', 'invoices.write', 'orders'], 'only scopes a client can be granted today');
    assert.deepEqual(metadata.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
  });

  it('RFC 8414 metadata is served at its own well-known path with the same content', async () => {
    const oidc = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
    const oauth = await (await fetch(`${server.issuer}/.well-known/oauth-authorization-server`)).json();
    assert.deepEqual(oauth, oidc);
  });

  it('issues an RFC 9068 JWT access token that verifies against the published JWKS', async () => {
    const config = await relyingParty(server, 'service', 'service-secret');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'invoices.read' });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.equal(tokens.scope, 'invoices.read');
    assert.equal(tokens.refresh_token, undefined, 'RFC 6749 §4.4.3: no refresh token');

    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.issuer,
      audience: 'urn:invoices',
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.sub, 'service');
    assert.equal(payload.client_id, 'service');
    assert.equal(payload.scope, 'invoices.read');
    assert.equal(payload.aud, 'urn:invoices');
    assert.ok(typeof payload.jti === 'string' && payload.jti.length >= 16);
    assert.equal(payload.exp! - payload.iat!, 3600);
    assert.equal(payload.nbf, payload.iat);
  });

  it('without a scope parameter the client gets all its allowed API scopes, never identity scopes', async () => {
    const config = await relyingParty(server, 'service', 'service-secret');
    const tokens = await client.clientCredentialsGrant(config);
    assert.deepEqual(tokens.scope!.split(' ').sort(), ['invoices.read', 'invoices.write', 'orders']);
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    assert.deepEqual([...payload.aud].sort(), ['https://orders.example.com', 'urn:invoices']);
  });

  it('an API resource that allows only ES256 gets ES256-signed tokens', async () => {
    const config = await relyingParty(server, 'service', 'service-secret');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders' });
    assert.equal(decodeProtectedHeader(tokens.access_token).alg, 'ES256');
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: server.issuer, audience: 'https://orders.example.com', typ: 'at+jwt' });
    assert.equal(payload.scope, 'orders');
  });

  it('client_secret_post authenticates as well as client_secret_basic', async () => {
    const config = await relyingParty(server, 'service', 'service-secret', 'post');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'invoices.write' });
    assert.equal(tokens.scope, 'invoices.write');
  });

  it('RFC 8707 resource narrows the audience and the scopes to that API', async () => {
    const config = await relyingParty(server, 'service', 'service-secret');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'invoices.read orders', resource: 'https://orders.example.com' });
    assert.equal(tokens.scope, 'orders');
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    assert.equal(payload.aud, 'https://orders.example.com');
  });

  it('a disallowed scope is refused with invalid_scope, not dropped', async () => {
    const config = await relyingParty(server, 'reference-service', 'reference-secret');
    await assert.rejects(client.clientCredentialsGrant(config, { scope: 'invoices.read invoices.write' }), (error: client.ResponseBodyError) => {
      assert.equal(error.error, 'invalid_scope');
      assert.equal(error.status, 400);
      return true;
    });
  });

  it('a wrong secret is refused with 401 invalid_client', async () => {
    const config = await relyingParty(server, 'service', 'wrong');
    // With a WWW-Authenticate challenge on the 401 (RFC 6749 §5.2), openid-client reports the challenge.
    await assert.rejects(client.clientCredentialsGrant(config), (error: client.WWWAuthenticateChallengeError) => {
      assert.equal(error.status, 401);
      assert.equal(error.cause[0]?.scheme, 'basic');
      return true;
    });
  });

  it('reference tokens are opaque 256-bit handles, stored only hashed', async () => {
    const config = await relyingParty(server, 'reference-service', 'reference-secret');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'invoices.read' });
    assert.match(tokens.access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(tokens.access_token, 'base64url').length, 32);
    const grants = server.idproo.services.stores.grants;
    const stored = await grants.getGrant(handleKey(tokens.access_token));
    assert.ok(stored, 'the token is stored under the SHA-256 of its handle');
    assert.equal(stored.key, createHash('sha256').update(tokens.access_token).digest('base64url'));
    assert.equal(stored.clientId, 'reference-service');
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(tokens.access_token), 'the handle appears nowhere in the stored record');
    assert.equal(await grants.getGrant(tokens.access_token), undefined, 'the handle itself is not a store key');
  });

  it('token responses are not cacheable (RFC 6749 §5.1)', async () => {
    const response = await fetch(`${server.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('service:service-secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
  });

  it('the JWKS publishes public members only, one key per algorithm, with Cache-Control', async () => {
    const response = await fetch(`${server.issuer}/.well-known/openid-configuration/jwks`);
    assert.match(response.headers.get('cache-control') ?? '', /max-age=\d+/);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    for (const key of keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(key[secret], undefined, `private member ${secret} published`);
      assert.equal(key.use, 'sig');
      assert.ok(key.kid);
    }
    assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length, 'kids are unique (OIDC Core §10.1)');
  });
});

describe('client credentials with a store that holds a public client', () => {
  it('a public client authenticated by client_id alone gets unauthorized_client, not a token', async () => {
    const { createMemoryStores } = await import('../../src/stores/index.ts');
    const { postForm } = await import('../support/server.ts');
    const stores = createMemoryStores();
    const server = await startTestServer({ config: testConfig(), stores });
    try {
      const [first] = await stores.clients.listClients();
      await stores.clients.saveClient({ ...first!, clientId: 'public-service', requireClientSecret: false, clientSecrets: [] });
      const answer = await postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'public-service' });
      assert.equal(answer.status, 400);
      assert.equal(answer.json!.error, 'unauthorized_client');
    } finally {
      await server.close();
    }
  });
});
