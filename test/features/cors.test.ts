import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IdProoConfigInput } from '../../src/config/schema.ts';
import { withClientDefaults } from '../../src/stores/client-defaults.ts';
import { startTestServer, testConfig, type TestServer } from '../support/server.ts';
import { send, type Answer } from './hostile-support.ts';

/**
 * CORS for browser apps (RFC 9700 §2.6, Fetch §3.2): the token and revocation endpoints answer CORS
 * only for origins some enabled client lists in allowedCorsOrigins (Duende's rule), preflights included.
 */

const spaOrigin = 'https://spa.example.com';

function corsConfig(): IdProoConfigInput {
  const base = testConfig();
  return {
    ...base,
    clients: [
      ...(base.clients ?? []),
      { clientId: 'spa', requireClientSecret: false, allowedGrantTypes: ['refresh_token'], allowOfflineAccess: true, allowedCorsOrigins: [spaOrigin] },
      {
        clientId: 'disabled-spa',
        enabled: false,
        requireClientSecret: false,
        allowedGrantTypes: ['refresh_token'],
        allowedCorsOrigins: ['https://disabled.example.com'],
      },
    ],
  };
}

let now = Date.UTC(2027, 0, 1);
let server: TestServer;
let paths: Record<'token' | 'revocation' | 'introspection', string>;

before(async () => {
  server = await startTestServer({ config: corsConfig(), clock: { now: () => now }, resourceCacheMs: 60_000 });
  paths = {
    token: `${server.issuer}/connect/token`,
    revocation: `${server.issuer}/connect/revocation`,
    introspection: `${server.issuer}/connect/introspect`,
  };
});
after(() => server.close());

const preflight = (url: string, origin: string) =>
  send(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

const post = (url: string, origin: string | undefined, body: Record<string, string>) =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin === undefined ? {} : { origin }) },
    body: new URLSearchParams(body).toString(),
  });

function assertNoCors(answer: Answer): void {
  for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age']) {
    assert.equal(answer.headers.get(name), null, name);
  }
}

for (const endpoint of ['token', 'revocation'] as const) {
  describe(`CORS on the ${endpoint} endpoint`, () => {
    it('a preflight from an origin a client allows → 204 with that origin, the method, the headers, a max age and Vary: Origin', async () => {
      const answer = await preflight(paths[endpoint], spaOrigin);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), spaOrigin);
      assert.equal(answer.headers.get('access-control-allow-methods'), 'POST');
      assert.equal(answer.headers.get('access-control-allow-headers'), 'authorization, content-type');
      assert.equal(answer.headers.get('access-control-max-age'), '3600');
      assert.equal(answer.headers.get('vary'), 'Origin');
      assert.equal(answer.headers.get('access-control-allow-credentials'), null, 'no cookies are involved');
    });

    it('a request from an allowed origin carries Access-Control-Allow-Origin and Vary: Origin, errors included', async () => {
      const body: Record<string, string> = endpoint === 'token' ? { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: 'spa' } : { token: 'unknown', client_id: 'spa' };
      const answer = await post(paths[endpoint], spaOrigin, body);
      assert.equal(answer.status, endpoint === 'token' ? 400 : 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), spaOrigin);
      assert.equal(answer.headers.get('vary'), 'Origin');
    });

    for (const [label, origin] of [
      ['an origin no client lists', 'https://evil.example'],
      ['the origin of a disabled client', 'https://disabled.example.com'],
      ['an allowed origin with a path', `${spaOrigin}/`],
      ['an allowed origin in other case', 'https://SPA.example.com'],
      ['the opaque origin null', 'null'],
      ['two origins on one line', `${spaOrigin}, https://evil.example`],
    ] as const) {
      it(`a preflight from ${label} gets no CORS headers (405)`, async () => {
        const answer = await preflight(paths[endpoint], origin);
        assert.equal(answer.status, 405);
        assertNoCors(answer);
      });

      it(`a request from ${label} gets no Access-Control-Allow-Origin`, async () => {
        const answer = await post(paths[endpoint], origin, { grant_type: 'refresh_token', refresh_token: 'unknown', token: 'unknown', client_id: 'spa' });
        assertNoCors(answer);
      });
    }

    it('a request without Origin (a server, not a browser) is answered as before, with Vary: Origin', async () => {
      const answer = await post(paths[endpoint], undefined, { grant_type: 'refresh_token', refresh_token: 'unknown', token: 'unknown', client_id: 'spa' });
      assertNoCors(answer);
      assert.equal(answer.headers.get('vary'), 'Origin');
    });
  });
}

describe('CORS elsewhere, and the cached origin list', () => {
  it('introspection is for servers: no CORS even for an allowed origin', async () => {
    const answer = await preflight(paths.introspection, spaOrigin);
    assert.equal(answer.status, 405);
    assertNoCors(answer);
  });

  it('an origin a new client adds is allowed once the cache expires, not per request', async () => {
    const origin = 'https://new.example.com';
    await server.idproo.services.stores.clients.saveClient(
      withClientDefaults({
        clientId: 'new-spa',
        enabled: true,
        clientSecrets: [],
        requireClientSecret: false,
        allowedGrantTypes: ['refresh_token'],
        redirectUris: [],
        postLogoutRedirectUris: [],
        allowedScopes: [],
        requirePkce: true,
        requireConsent: false,
        allowOfflineAccess: true,
        accessTokenType: 'jwt',
        accessTokenLifetime: 3600,
        allowedCorsOrigins: [origin],
      }),
    );
    // The list was read when the first test ran and is kept for resourceCacheMs.
    assertNoCors(await preflight(paths.token, origin));
    now += 60_000;
    const answer = await preflight(paths.token, origin);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), origin);
  });
});
