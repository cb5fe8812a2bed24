import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createMemoryStores } from '../../src/stores/index.ts';
import { basic, postForm, startTestServer } from '../support/server.ts';
import { TestClock, failingStore, kids, recordingLogger, service } from './support.ts';

// R = 1000 s, P = 100 s, T = 200 s: a successor is created at 900 s and signs from 1000 s.
const short = { rotationInterval: 1000, propagationTime: 100, retentionDuration: 200, keyCacheDuration: 300 };

describe('signing keys while the key store cannot be read', () => {
  it('keep serving the keys read last, log the failure and retry after a backoff, not on every request', async () => {
    const clock = new TestClock();
    const { store, control } = failingStore();
    const { logger, entries } = recordingLogger();
    const keys = service(store, clock, short, { logger });
    const first = await keys.signingKey();
    const published = (await keys.jwks()).body;

    control.failing = true;
    clock.advance(300); // keyCacheDuration: a re-read is due, and fails
    assert.equal((await keys.signingKey()).kid, first.kid);
    assert.deepEqual((await keys.jwks()).body, published);
    assert.equal(control.reads, 2);
    const failures = () => entries.filter((e) => e.obj.event === 'key.refresh_failed');
    assert.equal(failures().length, 1);
    assert.equal(failures()[0]!.level, 'error');
    assert.match(failures()[0]!.msg!, /the keys read last stay in use, retrying in 1 s/);
    assert.match(String((failures()[0]!.obj.err as Error).message), /database is locked/);

    for (let i = 0; i < 100; i++) await keys.signingKey();
    assert.equal(control.reads, 2, 'no retry on every request');
    clock.advance(1);
    await keys.signingKey();
    assert.equal(control.reads, 3, 'retried after 1 s');
    clock.advance(1);
    await keys.signingKey();
    assert.equal(control.reads, 3, 'the next retry waits 2 s');
    clock.advance(1);
    await keys.signingKey();
    assert.equal(control.reads, 4);
    assert.match(failures().at(-1)!.msg!, /retrying in 4 s/);

    control.failing = false;
    clock.advance(4);
    assert.equal((await keys.signingKey()).kid, first.kid);
    assert.equal(control.reads, 5, 'the store answers again');
    clock.advance(299);
    await keys.signingKey();
    assert.equal(control.reads, 5, 'back to one read per keyCacheDuration');
  });

  it('let a successor read before the outage take over at the rotation moment', async () => {
    const clock = new TestClock();
    const { store, control } = failingStore();
    const keys = service(store, clock, short);
    const first = await keys.signingKey();
    clock.advance(900);
    const [successor] = (await kids(keys)).filter((kid) => kid !== first.kid);
    assert.ok(successor, 'the successor is published at 900 s');

    control.failing = true;
    clock.advance(99);
    assert.equal((await keys.signingKey()).kid, first.kid);
    clock.advance(1);
    assert.equal((await keys.signingKey()).kid, successor, 'switched at 1000 s without reading the store');
    assert.deepEqual(await kids(keys), [successor, first.kid], 'the old key stays published for its tokens');
  });

  it('stop signing only when the last key read ends its rotation period, and sign again once the store answers', async () => {
    const clock = new TestClock();
    const { store, control } = failingStore();
    const keys = service(store, clock, short);
    const first = await keys.signingKey();

    control.failing = true; // before the successor is due at 900 s: no successor is ever read
    clock.advance(999);
    assert.equal((await keys.signingKey()).kid, first.kid);
    clock.advance(1);
    await assert.rejects(keys.signingKey(), /no RS256 signing key may sign now: .* the key store cannot be read/);
    assert.deepEqual(await kids(keys), [first.kid], 'its tokens still verify: the key stays published');

    control.failing = false;
    clock.advance(60); // the backoff has passed whatever it is
    const fresh = await keys.signingKey();
    assert.notEqual(fresh.kid, first.kid);
    assert.deepEqual(await kids(keys), [fresh.kid, first.kid]);
  });

  it('fail the start when the first read fails: there are no keys to fall back on', async () => {
    const { store, control } = failingStore();
    control.failing = true;
    await assert.rejects(service(store, new TestClock(), short).refresh(), /database is locked/);
  });
});

describe('signing keys that only partly decrypt', () => {
  it('name the unreadable kids in one warning at start and publish the others', async () => {
    const clock = new TestClock();
    const { signingKeys: store } = createMemoryStores();
    const readable = await service(store, clock, { ...short, signingAlgorithms: ['RS256'] }).signingKey();
    // Two keys that another server stored under another IDPROO_DATA_KEY.
    const { signingKeys: otherStore } = createMemoryStores();
    await service(otherStore, clock, { ...short, signingAlgorithms: ['ES256', 'EdDSA'] }, { key: Buffer.alloc(32, 9) }).refresh();
    const foreign = await otherStore.listKeys();
    for (const record of foreign) await store.addKey(record);

    const { logger, entries } = recordingLogger();
    const keys = service(store, clock, { ...short, signingAlgorithms: ['RS256'] }, { logger });
    await keys.refresh();
    const warnings = entries.filter((e) => e.obj.event === 'key.unreadable');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 'warn');
    for (const { kid } of foreign) assert.ok(warnings[0]!.msg!.includes(kid), `${kid} is named`);
    assert.match(warnings[0]!.msg!, /2 of 3 stored signing keys cannot be decrypted and are not published/);
    assert.match(warnings[0]!.msg!, /same IDPROO_DATA_KEY/);
    assert.deepEqual(await kids(keys), [readable.kid]);

    clock.advance(300); // the next read finds the same keys: no second warning
    await keys.signingKey();
    assert.equal(entries.filter((e) => e.obj.event === 'key.unreadable').length, 1);
  });
});

describe('seen from outside: the token and JWKS endpoints while the key store fails', () => {
  it('keep answering 200 with the keys read last, and the tokens verify', async () => {
    const clock = new TestClock();
    const base = createMemoryStores();
    const { store, control } = failingStore(base.signingKeys);
    const server = await startTestServer({
      clock,
      stores: { ...base, signingKeys: store },
      config: {
        keyManagement: { signingAlgorithms: ['ES256'], ...short },
        apiScopes: [{ name: 'api' }],
        apiResources: [{ name: 'urn:api', scopes: ['api'] }],
        clients: [{ clientId: 'c', clientSecrets: ['s'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'], accessTokenLifetime: 60 }],
      },
    });
    try {
      control.failing = true;
      clock.advance(300);
      const jwksAnswer = await fetch(`${server.issuer}/.well-known/openid-configuration/jwks`);
      assert.equal(jwksAnswer.status, 200);
      const jwks = createLocalJWKSet((await jwksAnswer.json()) as JSONWebKeySet);
      const answer = await postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('c', 's') });
      assert.equal(answer.status, 200);
      const { payload } = await jwtVerify(answer.json!.access_token as string, jwks, { issuer: server.issuer, currentDate: new Date(clock.ms) });
      assert.equal(payload.client_id, 'c');
      assert.ok(control.reads >= 2, 'the store was tried');
    } finally {
      await server.close();
    }
  });
});
