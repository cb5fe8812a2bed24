import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseDuration } from '../../src/config/duration.ts';
import { parseConfig } from '../../src/config/load.ts';
import { hashPassword, isPasswordHash, verifyPassword } from '../../src/config/passwords.ts';
import { hashSecretValue, shortPlainSecrets, toStoredSecret } from '../../src/config/secrets.ts';
import { createIdProo } from '../../src/provider/create-idproo.ts';
import { recordingLogger } from '../features/hostile-support.ts';
import { toConfigurationData } from '../../src/config/to-store.ts';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64');
const sha512 = (value: string) => createHash('sha512').update(value, 'utf8').digest('base64');

describe('toStoredSecret', () => {
  it('stores a plain secret only as its SHA-256 digest in base64', () => {
    const stored = toStoredSecret('correct horse battery staple');
    assert.deepEqual(stored, { type: 'sha256', hash: sha256('correct horse battery staple'), expiration: undefined, description: undefined });
    assert.equal(Buffer.from(stored.hash, 'base64').length, 32);
    assert.doesNotMatch(JSON.stringify(stored), /horse/);
  });

  it('hashes the UTF-8 bytes of the secret', () => {
    assert.equal(toStoredSecret('pässwörd-🔑').hash, sha256('pässwörd-🔑'));
    assert.equal(hashSecretValue('sha256', 'x'), sha256('x'));
    assert.equal(hashSecretValue('sha512', 'x'), sha512('x'));
  });

  it('takes sha256:<base64 of 32 bytes> as a digest computed by the operator', () => {
    const digest = sha256('the real secret');
    assert.deepEqual(toStoredSecret(`sha256:${digest}`), { type: 'sha256', hash: digest, expiration: undefined, description: undefined });
  });

  it('takes sha512:<base64 of 64 bytes> as a SHA-512 digest', () => {
    const digest = sha512('the real secret');
    assert.deepEqual(toStoredSecret(`sha512:${digest}`), { type: 'sha512', hash: digest, expiration: undefined, description: undefined });
  });

  it('takes a pre-hashed value the same way inside an object', () => {
    const digest = randomBytes(32).toString('base64');
    assert.deepEqual(toStoredSecret({ value: `sha256:${digest}` }), { type: 'sha256', hash: digest, expiration: undefined, description: undefined });
  });

  it('hashes a value whose "sha256:" part is not 32 bytes as a plain secret (the schema should reject it first)', () => {
    const value = `sha256:${randomBytes(16).toString('base64')}`;
    assert.deepEqual(toStoredSecret(value), { type: 'sha256', hash: sha256(value), expiration: undefined, description: undefined });
  });

  it('hashes an unknown prefix as part of a plain secret', () => {
    const value = `md5:${randomBytes(16).toString('base64')}`;
    assert.equal(toStoredSecret(value).hash, sha256(value));
  });

  it('parses expiration into epoch milliseconds and keeps the description', () => {
    assert.deepEqual(toStoredSecret({ value: 'old-secret', expiration: '2027-01-31T00:00:00Z', description: 'rotated in January' }), {
      type: 'sha256',
      hash: sha256('old-secret'),
      expiration: Date.UTC(2027, 0, 31),
      description: 'rotated in January',
    });
    assert.equal(toStoredSecret({ value: 'x', expiration: '2027-01-31T12:00:00+02:00' }).expiration, Date.UTC(2027, 0, 31, 10));
    assert.equal(toStoredSecret({ value: 'x' }).expiration, undefined);
  });

  it('accepts the secret formats through the schema, unchanged until stored', () => {
    const digest = sha256('s');
    const config = parseConfig({
      clients: [
        {
          clientId: 'c',
          allowedGrantTypes: ['client_credentials'],
          clientSecrets: ['plain', `sha256:${digest}`, { value: 'next', expiration: '2030-01-01T00:00:00Z', description: 'next year' }],
        },
      ],
    });
    assert.deepEqual(config.clients[0]!.clientSecrets, ['plain', `sha256:${digest}`, { value: 'next', expiration: '2030-01-01T00:00:00Z', description: 'next year' }]);
  });
});

describe('short plain secrets', () => {
  const config = () =>
    parseConfig({
      apiScopes: [{ name: 'api' }],
      apiResources: [{ name: 'urn:api', scopes: ['api'], apiSecrets: ['long-enough-secret-1', 'short-api'] }],
      clients: [
        { clientId: 'a', clientSecrets: ['sixteen-chars-ok', 'fifteen-chars-x'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'] },
        { clientId: 'b', clientSecrets: [{ value: 'tiny' }, `sha256:${sha256('x')}`], allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'] },
      ],
    });

  it('are found by path: plain values under 16 characters; pre-hashed ones are never short', () => {
    assert.deepEqual(shortPlainSecrets(config()), ['clients[0].clientSecrets[1]', 'clients[1].clientSecrets[0]', 'apiResources[0].apiSecrets[1]']);
  });

  it('get one warning at start that names them and never their values', async () => {
    const log = recordingLogger();
    const idproo = await createIdProo({ config: config(), issuer: 'https://idp.example.com', logger: log.logger });
    await idproo.close();
    const warnings = log.entries.filter((entry) => entry.level === 'warn' && /shorter than 16/.test(entry.msg ?? ''));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.msg!, /clients\[0\]\.clientSecrets\[1\], clients\[1\]\.clientSecrets\[0\], apiResources\[0\]\.apiSecrets\[1\]/);
    assert.doesNotMatch(JSON.stringify(warnings), /fifteen-chars-x|tiny|short-api/);
  });
});

describe('passwords', () => {
  it('hashes with argon2id into a PHC string with OWASP parameters and a random salt', async () => {
    const first = await hashPassword('alice');
    const second = await hashPassword('alice');
    assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(first, second);
    assert.ok(isPasswordHash(first));
    assert.doesNotMatch(first, /alice/);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const encoded = await hashPassword('correct horse');
    assert.equal(await verifyPassword('correct horse', encoded), true);
    assert.equal(await verifyPassword('correct hors', encoded), false);
    assert.equal(await verifyPassword('', encoded), false);
  });

  it('rejects a malformed hash instead of throwing', async () => {
    assert.equal(await verifyPassword('x', 'x'), false);
    assert.equal(await verifyPassword('x', '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA'), false);
    assert.equal(await verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuv'), false);
  });

  it('recognises only argon2id PHC strings as hashes', () => {
    assert.equal(isPasswordHash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'), true);
    assert.equal(isPasswordHash('$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'), false);
    assert.equal(isPasswordHash('$2b$10$abcdefghijklmnopqrstuv'), false);
    assert.equal(isPasswordHash('alice'), false);
  });
});

describe('toConfigurationData', () => {
  it('keeps only digests of client and API secrets', async () => {
    const config = parseConfig({
      apiScopes: [{ name: 'api' }],
      apiResources: [{ name: 'urn:api', scopes: ['api'], apiSecrets: ['api-plain-secret'] }],
      clients: [{ clientId: 'c', clientSecrets: ['client-plain-secret', { value: 'second-plain-secret', expiration: '2030-01-01T00:00:00Z' }], allowedGrantTypes: ['client_credentials'] }],
    });
    const data = await toConfigurationData(config);
    assert.doesNotMatch(JSON.stringify(data), /plain-secret/);
    assert.deepEqual(data.clients[0]!.clientSecrets, [
      { type: 'sha256', hash: sha256('client-plain-secret'), expiration: undefined, description: undefined },
      { type: 'sha256', hash: sha256('second-plain-secret'), expiration: Date.UTC(2030, 0, 1), description: undefined },
    ]);
    assert.deepEqual(data.resources.apiResources[0]!.apiSecrets, [{ type: 'sha256', hash: sha256('api-plain-secret'), expiration: undefined, description: undefined }]);
    assert.equal(data.clients[0]!.clientId, 'c');
    assert.equal(data.clients[0]!.accessTokenLifetime, 3600);
  });

  it('hashes plain passwords with argon2id and keeps a pre-hashed $argon2id$ password as is', async () => {
    const prehashed = await hashPassword('bob-password');
    const config = parseConfig({
      users: [
        { subjectId: '1', username: 'alice', password: 'alice-password', claims: { email: 'alice@example.com' } },
        { subjectId: '2', username: 'bob', password: prehashed },
      ],
    });
    const { users } = await toConfigurationData(config);
    assert.equal(users.length, 2);
    const [alice, bob] = users;
    assert.ok(isPasswordHash(alice!.passwordHash));
    assert.equal(await verifyPassword('alice-password', alice!.passwordHash), true);
    assert.equal(bob!.passwordHash, prehashed);
    assert.equal(await verifyPassword('bob-password', bob!.passwordHash), true);
    assert.doesNotMatch(JSON.stringify(users), /alice-password/);
    assert.equal('password' in alice!, false);
    assert.deepEqual(alice!.claims, { email: 'alice@example.com' });
  });

  it('keeps identity resources and API scopes as parsed', async () => {
    const config = parseConfig({ identityResources: ['openid'], apiScopes: [{ name: 'api', userClaims: ['role'] }] });
    const { resources } = await toConfigurationData(config);
    assert.deepEqual(resources.identityResources, [{ name: 'openid', enabled: true, userClaims: ['sub'] }]);
    assert.deepEqual(resources.apiScopes, [{ name: 'api', enabled: true, userClaims: ['role'] }]);
  });
});

describe('parseDuration', () => {
  it('reads positive whole seconds and "<n>s|m|h|d"', () => {
    assert.equal(parseDuration(1), 1);
    assert.equal(parseDuration(3600), 3600);
    assert.equal(parseDuration('45s'), 45);
    assert.equal(parseDuration('30m'), 1800);
    assert.equal(parseDuration('12h'), 43200);
    assert.equal(parseDuration('90d'), 7776000);
    assert.equal(parseDuration(' 14d '), 1209600);
  });

  it('rejects anything else', () => {
    for (const value of [0, -1, 1.5, Number.NaN, Infinity, '0d', '-1d', '5 days', '1w', '90', '1.5h', 'd', '', null, undefined, true, {}]) {
      assert.equal(parseDuration(value), undefined, `parseDuration(${JSON.stringify(value)})`);
    }
  });
});
