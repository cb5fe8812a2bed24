import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { signingAlgorithms } from '../../src/config/schema.ts';
import { DataProtector } from '../../src/keys/data-protection.ts';
import { SigningKeyService } from '../../src/keys/signing-key-service.ts';
import { createMemoryStores } from '../../src/stores/index.ts';
import type { AccessTokenClaims } from '../../src/tokens/access-token-claims.ts';
import { ecdsaP1363, signJwt } from '../../src/tokens/formats/jwt.ts';

const now = Math.floor(Date.now() / 1000);
const claims = (jti: string): AccessTokenClaims => ({
  iss: 'https://login.example.com',
  sub: 'service',
  aud: 'urn:invoices',
  client_id: 'service',
  scope: 'invoices.read',
  jti,
  iat: now,
  nbf: now,
  exp: now + 3600,
});

function keyService(alg: (typeof signingAlgorithms)[number]) {
  const stores = createMemoryStores();
  return new SigningKeyService({
    store: stores.signingKeys,
    clients: stores.clients,
    protector: new DataProtector(Buffer.alloc(32, 7)),
    clock: { now: () => Date.now() },
    events: { emit() {} },
    options: { signingAlgorithms: [alg], rotationInterval: 86400, propagationTime: 3600, retentionDuration: 3600, keyCacheDuration: 3600 },
  });
}

describe('JWT access tokens (RFC 9068, RFC 7515 compact serialization)', () => {
  for (const alg of signingAlgorithms) {
    it(`a ${alg} token carries alg, kid and typ at+jwt and verifies with jose against the published keys`, async () => {
      const keys = keyService(alg);
      const jwks = createLocalJWKSet({ keys: [...(await keys.jwks()).document.keys] });
      const kid = (await keys.signingKey(alg)).kid;
      // ECDSA signatures are r || s with fixed-size halves; many tokens exercise short r and s values.
      for (let i = 0; i < (alg === 'ES256' ? 300 : 3); i++) {
        const token = await signJwt(claims(`jti-${i}`), alg, 'at+jwt', keys);
        assert.deepEqual(decodeProtectedHeader(token), { alg, kid, typ: 'at+jwt' });
        const { payload } = await jwtVerify(token, jwks, { algorithms: [alg], typ: 'at+jwt', issuer: 'https://login.example.com', audience: 'urn:invoices' });
        assert.deepEqual(payload, claims(`jti-${i}`));
      }
    });
  }
});

describe('explicit typing (RFC 8725 §3.11)', () => {
  it('one key signs each kind of token under its own typ, and a verifier that asks for at+jwt refuses the others', async () => {
    const keys = keyService('ES256');
    const jwks = createLocalJWKSet({ keys: [...(await keys.jwks()).document.keys] });
    const options = { algorithms: ['ES256'], issuer: 'https://login.example.com' };
    for (const typ of ['at+jwt', 'JWT', 'logout+jwt'] as const) {
      const token = await signJwt(claims('jti'), 'ES256', typ, keys);
      assert.equal(decodeProtectedHeader(token).typ, typ);
      await jwtVerify(token, jwks, { ...options, typ });
      if (typ !== 'at+jwt') await assert.rejects(jwtVerify(token, jwks, { ...options, typ: 'at+jwt' }), /typ/);
    }
  });
});

describe('ECDSA signatures in JWS form (RFC 7518 §3.4)', () => {
  const der = (r: number[], s: number[]) => Buffer.from([0x30, 4 + r.length + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s]);
  const full = (byte: number) => Array.from({ length: 32 }, () => byte);

  it('drops the sign byte of a 33-byte INTEGER and left-pads a short one to 32 bytes', () => {
    const out = ecdsaP1363(der([0x00, 0x80, ...full(1).slice(1)], [0x05, 0x06]), 32);
    assert.equal(out.length, 64);
    assert.deepEqual([...out.subarray(0, 32)], [0x80, ...full(1).slice(1)]);
    assert.deepEqual([...out.subarray(32)], [...Array.from({ length: 30 }, () => 0), 0x05, 0x06]);
  });

  it('refuses what is not a DER signature of that size', () => {
    assert.throws(() => ecdsaP1363(Buffer.alloc(64, 1), 32), TypeError);
    assert.throws(() => ecdsaP1363(der([0x01, ...full(2)], full(3)), 32), TypeError, 'a 33-byte number that does not fit');
  });
});
