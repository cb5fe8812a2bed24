import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { DataProtector } from '../../src/keys/data-protection.ts';
import { createMemoryStores } from '../../src/stores/index.ts';
import { postForm, basic, startTestServer } from '../support/server.ts';
import { minimalClient } from '../stores/fixtures.ts';
import { TestClock, day, failingStore, kids, recordingLogger, service } from './support.ts';

const shortLived = (clientId: string) => ({ ...minimalClient(clientId), accessTokenLifetime: 60 });

describe('signing key rotation (Duende-style automatic key management)', () => {
  it('publishes a new key propagationTime ahead, switches at the rotation interval, retires the old one after retention', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const keys = service(store, clock);

    const first = await keys.signingKey();
    assert.deepEqual(await kids(keys), [first.kid], 'first start: one key, signing at once');

    clock.advance(76 * day - 1);
    assert.equal((await keys.signingKey()).kid, first.kid);
    assert.deepEqual(await kids(keys), [first.kid], 'nothing announced before rotationInterval - propagationTime');

    clock.advance(1); // day 76 = 90 - 14: the successor is announced
    const published = await kids(keys);
    assert.equal(published.length, 2);
    assert.equal((await keys.signingKey()).kid, first.kid, 'the announced key does not sign yet');
    const second = published.find((kid) => kid !== first.kid)!;

    clock.advance(14 * day); // day 90: the successor signs
    assert.equal((await keys.signingKey()).kid, second);
    assert.deepEqual(await kids(keys), [second, first.kid], 'the old key stays published, the signing key comes first');

    clock.advance(14 * day - 1);
    assert.ok((await kids(keys)).includes(first.kid), 'still published just before retention ends');
    clock.advance(1); // day 104: retention over
    assert.deepEqual(await kids(keys), [second]);
    assert.deepEqual((await store.listKeys()).map((k) => k.kid), [second], 'the retired key is deleted from the store');
  });

  // The lifetime comes from the client store, so it covers clients the configuration file does not list.
  for (const owner of ['the configuration file', 'the store alone'] as const) {
    it(`keeps a retired key published as long as the longest token lifetime of any client, one that ${owner} holds too`, async () => {
      const clock = new TestClock();
      const { signingKeys: store, clients } = createMemoryStores();
      const longLived = { ...shortLived('long'), accessTokenLifetime: 500 };
      await clients.syncConfiguredClients(owner === 'the store alone' ? [shortLived('configured')] : [longLived]);
      if (owner === 'the store alone') await clients.saveClient(longLived);
      const keys = service(store, clock, { rotationInterval: 1000, propagationTime: 100, retentionDuration: 10, keyCacheDuration: 10_000 }, { clients });
      const first = await keys.signingKey();
      clock.advance(1000 + 499);
      assert.ok((await kids(keys)).includes(first.kid), 'a token signed at the last moment is valid for 500 s more');
      assert.ok((await store.listKeys()).some((k) => k.kid === first.kid));
      clock.advance(1);
      assert.ok(!(await kids(keys)).includes(first.kid));
      assert.ok(!(await store.listKeys()).some((k) => k.kid === first.kid), 'then it is deleted');
    });
  }

  it('a restart on the same store signs with the same key; a new key is created only when due', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const before = await service(store, clock).signingKey();
    clock.advance(10 * day);
    const after = await service(store, clock).signingKey();
    assert.equal(after.kid, before.kid);
    assert.equal((await store.listKeys()).length, 1);
  });

  it('after an outage longer than the rotation interval a fresh key signs at once', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const old = await service(store, clock).signingKey();
    clock.advance(200 * day);
    const keys = service(store, clock);
    const fresh = await keys.signingKey();
    assert.notEqual(fresh.kid, old.kid);
    assert.deepEqual(await kids(keys), [fresh.kid], 'the long-expired key is retired');
  });

  it('keeps one active key per configured algorithm', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const keys = service(store, clock, { signingAlgorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] });
    const jwks = (await keys.jwks()).document.keys;
    assert.deepEqual(jwks.map((k) => k.alg), ['RS256', 'PS256', 'ES256', 'EdDSA']);
    assert.deepEqual(jwks.map((k) => k.kty), ['RSA', 'RSA', 'EC', 'OKP']);
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) assert.equal((await keys.signingKey(alg)).alg, alg);
  });

  it('refreshes only when the cached state is due: the hot path is a clock read', async () => {
    const clock = new TestClock();
    const { store, control } = failingStore();
    const keys = service(store, clock);
    await keys.signingKey();
    for (let i = 0; i < 100; i++) await keys.signingKey();
    assert.equal(control.reads, 1);
    clock.advance(3599);
    await keys.signingKey();
    assert.equal(control.reads, 1);
    clock.advance(1); // keyCacheDuration: re-read, since other nodes may have added keys
    await keys.signingKey();
    assert.equal(control.reads, 2);
  });
});

describe('signing keys at rest', () => {
  it('are stored encrypted: the private member is not in the stored record', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const keys = service(store, clock, { signingAlgorithms: ['ES256'] });
    await keys.signingKey('ES256');
    const [record] = await store.listKeys();
    assert.match(record!.data, /^v1\.[A-Za-z0-9_-]+$/);
    const jwk = JSON.parse(new DataProtector(Buffer.alloc(32, 7)).unprotect(record!.data, record!.kid));
    assert.equal(jwk.crv, 'P-256');
    assert.ok(jwk.d, 'the decrypted record is the private key');
    // The record is a base64url blob, so look for the private scalar in its decoded bytes and in every encoding of it.
    const payload = Buffer.from(record!.data.slice('v1.'.length), 'base64url');
    const scalar = Buffer.from(jwk.d, 'base64url');
    for (const needle of [scalar, Buffer.from(jwk.d), Buffer.from('"d"')]) assert.equal(payload.indexOf(needle), -1);
    assert.ok(!record!.data.includes(jwk.d));
  });

  it('a ciphertext moved to another kid, or read with another data key, does not decrypt', () => {
    const protector = new DataProtector(randomBytes(32));
    const blob = protector.protect('secret', 'kid-1');
    assert.equal(protector.unprotect(blob, 'kid-1'), 'secret');
    assert.throws(() => protector.unprotect(blob, 'kid-2'));
    assert.throws(() => new DataProtector(randomBytes(32)).unprotect(blob, 'kid-1'));
  });

  it('a stored key whose private JWK does not suit its algorithm is not used to sign', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const protector = new DataProtector(Buffer.alloc(32, 7));
    // An EdDSA key stored under alg ES256 (a tampered or mislabelled record) decrypts but must not sign ES256.
    const edKey = await service(createMemoryStores().signingKeys, clock, { signingAlgorithms: ['EdDSA'] }).signingKey('EdDSA');
    const stolen = { ...edKey.privateKey.export({ format: 'jwk' }) };
    const genuine = await service(store, clock, { signingAlgorithms: ['ES256'] }).signingKey('ES256');
    // Newer than the genuine key, so it would be the one to sign if it were accepted.
    await store.addKey({ kid: 'mislabelled', alg: 'ES256', createdAt: clock.now() + 1, data: protector.protect(JSON.stringify(stolen), 'mislabelled') });
    clock.advance(1);
    const log = recordingLogger();
    const keys = service(store, clock, { signingAlgorithms: ['ES256'] }, { logger: log.logger });
    const signing = await keys.signingKey('ES256');
    assert.equal(signing.kid, genuine.kid);
    assert.equal(signing.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(!(await kids(keys)).includes('mislabelled'), 'not published either');
    assert.ok(log.entries.some((entry) => JSON.stringify(entry).includes('mislabelled')), 'the unusable kid is named in the log');
  });

  it('a data key that opens none of the stored keys stops the server instead of replacing them', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const { kid } = await service(store, clock, {}, { key: Buffer.alloc(32, 1) }).signingKey();
    await assert.rejects(service(store, clock, {}, { key: Buffer.alloc(32, 2) }).refresh(), (error: Error) => {
      assert.match(error.message, /no stored signing key can be decrypted/);
      assert.ok(error.message.includes(kid), 'the unreadable key is named');
      assert.match(error.message, /IDPROO_DATA_KEY is not the key they were stored with/);
      return true;
    });
    assert.equal((await store.listKeys()).length, 1, 'no key was added');
  });
});

describe('rotation seen from outside: tokens stay verifiable across a rotation', () => {
  it('a token signed before the switch verifies against the JWKS after it, until its key is retired', async () => {
    const clock = new TestClock();
    const server = await startTestServer({
      clock,
      config: {
        keyManagement: { signingAlgorithms: ['ES256'], rotationInterval: 1000, propagationTime: 100, retentionDuration: 200 },
        apiScopes: [{ name: 'api' }],
        apiResources: [{ name: 'urn:api', scopes: ['api'] }],
        clients: [{ clientId: 'c', clientSecrets: ['s'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'], accessTokenLifetime: 150 }],
      },
    });
    try {
      const token = async () => (await postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('c', 's') })).json!.access_token as string;
      const jwks = async () => createLocalJWKSet((await (await fetch(`${server.issuer}/.well-known/openid-configuration/jwks`)).json()) as JSONWebKeySet);
      const verify = async (t: string) => jwtVerify(t, await jwks(), { issuer: server.issuer, currentDate: new Date(clock.ms) });

      clock.advance(999);
      const before = await token();
      const beforeKid = (await verify(before)).protectedHeader.kid;
      clock.advance(1);
      const after = await token();
      assert.notEqual((await verify(after)).protectedHeader.kid, beforeKid, 'the announced key signs after the rotation interval');
      clock.advance(148);
      assert.equal((await verify(before)).payload.sub, 'c', 'the old token still verifies until it expires');
      const published = async () => ((await (await fetch(`${server.issuer}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
      assert.ok((await published()).includes(beforeKid!));
      clock.advance(52); // retentionDuration (200 s) after the switch the old key is retired
      assert.ok(!(await published()).includes(beforeKid!));
    } finally {
      await server.close();
    }
  });
});
