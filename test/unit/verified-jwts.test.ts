import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccessTokenClaims } from '../../src/tokens/access-token-claims.ts';
import { VerifiedJwts } from '../../src/tokens/verified-jwts.ts';
import { basic, postForm, startTestServer, testConfig } from '../support/server.ts';

const claims = (jti: string) => ({ jti }) as unknown as AccessTokenClaims;

describe('the cache of verified access tokens', () => {
  it('is bounded and drops the least recently used token first', () => {
    const cache = new VerifiedJwts(2);
    cache.add('a', claims('a'));
    cache.add('b', claims('b'));
    cache.get('a');
    cache.add('c', claims('c'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a')?.jti, 'a');
    assert.equal(cache.get('c')?.jti, 'c');
  });

  it('does not keep a token alive past its expiry, nor past its revocation', async () => {
    let offset = 0;
    const server = await startTestServer({ config: testConfig(), clock: { now: () => Date.now() + offset } });
    try {
      const introspect = async (token: string) =>
        (await postForm(`${server.issuer}/connect/introspect`, { token }, { authorization: basic('urn:invoices', 'invoices-secret') })).json!['active'];
      const issue = async () =>
        String((await postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: basic('service', 'service-secret') })).json!['access_token']);
      const expiring = await issue();
      assert.equal(await introspect(expiring), true);
      assert.equal(await introspect(expiring), true, 'from the cache');
      offset = 3601_000;
      assert.equal(await introspect(expiring), false);
      offset = 0;
      const revoked = await issue();
      assert.equal(await introspect(revoked), true);
      await postForm(`${server.issuer}/connect/revocation`, { token: revoked }, { authorization: basic('service', 'service-secret') });
      assert.equal(await introspect(revoked), false);
    } finally {
      await server.close();
    }
  });
});
