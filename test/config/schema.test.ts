import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { ConfigError, formatPath, loadConfigFile, parseConfig, type ConfigProblem } from '../../src/config/load.ts';
import * as v from 'valibot';
import { configSchema, knownGrantTypes, signingAlgorithms, standardIdentityResources } from '../../src/config/schema.ts';

const demoFile = fileURLToPath(new URL('../../demo/idproo.json', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'idproo-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;

/** The smallest useful configuration: one API scope and one confidential machine client. */
const minimal = (): Json => ({
  apiScopes: [{ name: 'api' }],
  clients: [{ clientId: 'service', clientSecrets: ['service-secret'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['api'] }],
});

/** Applies `mutate` to a fresh minimal configuration and returns the problems it is rejected with. */
function problemsOf(mutate: (config: Json) => void): readonly ConfigProblem[] {
  const config = minimal();
  mutate(config);
  try {
    parseConfig(config, 'test.json');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail(`expected the configuration to be rejected: ${JSON.stringify(config)}`);
}

/** Asserts exactly one problem, at `path`, whose message matches every pattern. */
function rejects(mutate: (config: Json) => void, path: string, ...messages: RegExp[]): ConfigProblem {
  const problems = problemsOf(mutate);
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems, null, 2)}`);
  const [problem] = problems;
  assert.equal(problem!.path, path);
  for (const message of messages) assert.match(problem!.message, message);
  return problem!;
}

describe('configuration defaults', () => {
  it('accepts an empty configuration and fills every collection and keyManagement', () => {
    const config = parseConfig({});
    assert.deepEqual(config, {
      clients: [],
      apiScopes: [],
      apiResources: [],
      identityResources: [],
      users: [],
      keyManagement: { signingAlgorithms: ['RS256'], rotationInterval: 90 * 86400, propagationTime: 14 * 86400, retentionDuration: 14 * 86400, keyCacheDuration: 3600 },
      authentication: { cookieLifetime: 36_000, cookieSlidingExpiration: false, maxFailedAttemptsPerAccount: 5, maxFailedAttemptsPerIp: 50, lockoutDuration: 900 },
      userInteraction: { interactionLifetime: 600 },
      pages: { defaultLocale: 'en', productName: 'IdProo' },
    });
    assert.equal(config.issuer, undefined);
  });

  it('treats null and undefined input as an empty configuration', () => {
    assert.deepEqual(parseConfig(undefined), parseConfig({}));
    assert.deepEqual(parseConfig(null), parseConfig({}));
  });

  it('gives a minimal client Duende\'s defaults', () => {
    const [client] = parseConfig(minimal()).clients;
    assert.deepEqual(client, {
      clientId: 'service',
      enabled: true,
      clientSecrets: ['service-secret'],
      requireClientSecret: true,
      allowedGrantTypes: ['client_credentials'],
      redirectUris: [],
      postLogoutRedirectUris: [],
      allowedScopes: ['api'],
      requirePkce: true,
      requireConsent: false,
      allowOfflineAccess: false,
      accessTokenType: 'jwt',
      accessTokenLifetime: 3600,
      allowPlainTextPkce: false,
      allowRememberConsent: true,
      identityTokenLifetime: 300,
      authorizationCodeLifetime: 60,
      refreshTokenUsage: 'OneTimeOnly',
      refreshTokenExpiration: 'Absolute',
      absoluteRefreshTokenLifetime: 2_592_000,
      slidingRefreshTokenLifetime: 1_296_000,
      refreshTokenGraceSeconds: 0,
      allowedCorsOrigins: [],
      allowedIdentityTokenSigningAlgorithms: [],
      alwaysIncludeUserClaimsInIdToken: false,
      updateAccessTokenClaimsOnRefresh: false,
    });
  });

  it('defaults API scopes, API resources, identity resources and users', () => {
    const config = parseConfig({
      apiScopes: [{ name: 'api' }],
      apiResources: [{ name: 'urn:api' }],
      identityResources: [{ name: 'custom' }],
      users: [{ subjectId: '1', username: 'alice', password: 'pw' }],
    });
    assert.deepEqual(config.apiScopes, [{ name: 'api', enabled: true, userClaims: [] }]);
    assert.deepEqual(config.apiResources, [{ name: 'urn:api', enabled: true, scopes: [], apiSecrets: [], userClaims: [], allowedAccessTokenSigningAlgorithms: [] }]);
    assert.deepEqual(config.identityResources, [{ name: 'custom', enabled: true, userClaims: [] }]);
    assert.deepEqual(config.users, [{ subjectId: '1', username: 'alice', password: 'pw', enabled: true, claims: {} }]);
  });

  it('expands standard identity resource names into their OIDC claims', () => {
    const config = parseConfig({ identityResources: Object.keys(standardIdentityResources) });
    assert.deepEqual(
      config.identityResources,
      Object.entries(standardIdentityResources).map(([name, claims]) => ({ name, enabled: true, userClaims: [...claims] })),
    );
    assert.deepEqual(config.identityResources[0], { name: 'openid', enabled: true, userClaims: ['sub'] });
    assert.deepEqual(config.identityResources.find((r) => r.name === 'email')?.userClaims, ['email', 'email_verified']);
  });

  it('accepts every known grant type and every signing algorithm, written as a string or as { name }', () => {
    const config = parseConfig({
      keyManagement: { signingAlgorithms: ['RS256', { name: 'PS256' }, 'ES256', { name: 'EdDSA' }] },
      clients: [{ clientId: 'all', clientSecrets: ['x'], allowedGrantTypes: [...knownGrantTypes] }],
    });
    assert.deepEqual(config.keyManagement.signingAlgorithms, [...signingAlgorithms]);
    assert.deepEqual(config.clients[0]!.allowedGrantTypes, [...knownGrantTypes]);
  });

  it('reads durations as seconds or as "<n>d", "<n>h", "<n>m", "<n>s"', () => {
    const { keyManagement } = parseConfig({ keyManagement: { rotationInterval: '30d', propagationTime: '12h', retentionDuration: '45m', keyCacheDuration: 90 } });
    assert.deepEqual(keyManagement, { signingAlgorithms: ['RS256'], rotationInterval: 30 * 86400, propagationTime: 12 * 3600, retentionDuration: 45 * 60, keyCacheDuration: 90 });
    assert.equal(parseConfig({ keyManagement: { keyCacheDuration: '30s' } }).keyManagement.keyCacheDuration, 30);
  });

  it('drops a trailing slash from the issuer and keeps its path', () => {
    assert.equal(parseConfig({ issuer: 'https://login.example.com/' }).issuer, 'https://login.example.com');
    assert.equal(parseConfig({ issuer: 'https://login.example.com/tenant/' }).issuer, 'https://login.example.com/tenant');
    assert.equal(parseConfig({ issuer: 'http://localhost:5000' }).issuer, 'http://localhost:5000');
  });

  it('accepts offline_access in allowedScopes without defining it', () => {
    assert.deepEqual(
      parseConfig({ ...minimal(), clients: [{ ...minimal().clients[0], allowedScopes: ['api', 'offline_access'] }] }).clients[0]!.allowedScopes,
      ['api', 'offline_access'],
    );
  });

  it('accepts a public authorization-code client without a secret', () => {
    const config = parseConfig({
      identityResources: ['openid'],
      clients: [{ clientId: 'spa', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1:3000/cb'], allowedScopes: ['openid'] }],
    });
    assert.equal(config.clients[0]!.requireClientSecret, false);
    assert.deepEqual(config.clients[0]!.clientSecrets, []);
  });

  it('accepts a $schema member for editor completion', () => {
    assert.doesNotThrow(() => parseConfig({ $schema: './idproo.schema.json' }));
  });
});

describe('the demo configuration', () => {
  it('is valid', async () => {
    const config = await loadConfigFile(demoFile);
    assert.deepEqual(config.keyManagement.signingAlgorithms, ['RS256', 'ES256']);
    assert.deepEqual(config.clients.map((c) => c.clientId), ['demo-service', 'demo-service-reference', 'demo-app']);
    assert.deepEqual(config.demoRelyingParty, { clientId: 'demo-app' });
    assert.equal(config.clients[1]!.accessTokenType, 'reference');
    assert.deepEqual(config.identityResources.map((r) => r.name), ['openid', 'profile', 'email']);
  });
});

describe('configuration mistakes name the path and say how to fix them', () => {
  const uriMessage = /must be an absolute URI without a fragment .*e\.g\. "https:\/\/app\.example\.com\/callback"/;

  it('redirect URI with a fragment', () => {
    rejects((c) => (c.clients[0].redirectUris = ['https://app.example.com/cb', 'https://app.example.com/cb#frag']), 'clients[0].redirectUris[1]', uriMessage);
  });

  it('relative redirect URI', () => {
    rejects((c) => (c.clients[0].redirectUris = ['/callback']), 'clients[0].redirectUris[0]', uriMessage);
  });

  it('redirect URI with surrounding spaces', () => {
    rejects((c) => (c.clients[0].redirectUris = [' https://app.example.com/cb']), 'clients[0].redirectUris[0]', uriMessage);
  });

  it('post-logout redirect URI that is not absolute', () => {
    rejects((c) => (c.clients[0].postLogoutRedirectUris = ['signed-out']), 'clients[0].postLogoutRedirectUris[0]', /absolute URI/);
  });

  it('misspelt field on a client (clientSecret for clientSecrets)', () => {
    const problem = rejects((c) => (c.clients[0].clientSecret = 'x'), 'clients[0]', /unknown field "clientSecret"/, /check the spelling against docs\/configuration\.md/);
    assert.doesNotMatch(problem.message, /unknown fields/);
  });

  it('misspelt fields at the root and in keyManagement, each listed', () => {
    rejects((c) => (c.client = []), '', /unknown field "client"/);
    rejects((c) => (c.keyManagement = { rotation: '30d', algorithms: ['RS256'] }), 'keyManagement', /unknown fields "rotation", "algorithms"/);
  });

  it('misspelt field inside a secret object', () => {
    rejects((c) => (c.clients[0].clientSecrets = [{ value: 'x', expires: '2030-01-01' }]), 'clients[0].clientSecrets[0]', /unknown field "expires"/);
  });

  it('misspelt clientSecret also reports the missing secret', () => {
    const problems = problemsOf((c) => {
      delete c.clients[0].clientSecrets;
      c.clients[0].clientSecret = 'x';
    });
    assert.deepEqual(problems.map((p) => p.path), ['clients[0]', 'clients[0].clientSecrets']);
  });

  it('duplicate clientId', () => {
    rejects((c) => c.clients.push({ ...c.clients[0] }), 'clients[1].clientId', /"service" is already used by clients\[0\]; each clientId must be unique/);
  });

  it('duplicate names of scopes, resources and users', () => {
    rejects((c) => c.apiScopes.push({ name: 'api' }), 'apiScopes[1].name', /already used by apiScopes\[0\]/);
    rejects((c) => (c.apiResources = [{ name: 'urn:a' }, { name: 'urn:a' }]), 'apiResources[1].name', /already used by apiResources\[0\]/);
    rejects((c) => (c.identityResources = ['openid', { name: 'openid' }]), 'identityResources[1].name', /already used by identityResources\[0\]/);
    rejects(
      (c) => (c.users = [{ subjectId: '1', username: 'alice', password: 'a' }, { subjectId: '2', username: 'alice', password: 'b' }]),
      'users[1].username',
      /"alice" is already used by users\[0\]; each username must be unique/,
    );
  });

  it('a scope name that is both an API scope and an identity resource', () => {
    rejects((c) => {
      c.identityResources = ['openid'];
      c.apiScopes.push({ name: 'openid' });
    }, 'apiScopes[1].name', /"openid" is also an identity resource/);
  });

  it('unknown grant type', () => {
    rejects((c) => (c.clients[0].allowedGrantTypes = ['client_credentials', 'password']), 'clients[0].allowedGrantTypes[1]', /must be one of "client_credentials", "authorization_code"/);
  });

  it('empty allowedGrantTypes', () => {
    rejects((c) => (c.clients[0].allowedGrantTypes = []), 'clients[0].allowedGrantTypes', /must list at least one grant type, e\.g\. \["client_credentials"\]/);
  });

  it('missing allowedGrantTypes is reported as required', () => {
    rejects((c) => delete c.clients[0].allowedGrantTypes, 'clients[0].allowedGrantTypes', /^is required: must be an array of grant types/);
  });

  it('missing clientId is reported as required', () => {
    rejects((c) => delete c.clients[0].clientId, 'clients[0].clientId', /^is required: .*unique client identifier/);
  });

  it('allowedScopes naming an undefined scope', () => {
    rejects((c) => (c.clients[0].allowedScopes = ['api', 'api.write']), 'clients[0].allowedScopes[1]', /"api\.write" is not defined; add it to apiScopes or identityResources, or remove it here/);
  });

  it('allowedScopes entry that is not a valid scope token', () => {
    // The cross-reference check also reports it as undefined; both problems point at the same entry.
    const problems = problemsOf((c) => (c.clients[0].allowedScopes = ['api read']));
    assert.deepEqual([...new Set(problems.map((p) => p.path))], ['clients[0].allowedScopes[0]']);
    assert.match(problems[0]!.message, /must be a scope name of visible ASCII characters without spaces, quotes or backslashes \(RFC 6749 §3\.3\)/);
  });

  it('apiResources.scopes naming an undefined apiScope', () => {
    rejects((c) => (c.apiResources = [{ name: 'urn:api', scopes: ['api', 'other'] }]), 'apiResources[0].scopes[1]', /"other" is not defined; add \{ "name": "other" \} to apiScopes or remove it here/);
  });

  it('apiResources.scopes naming an identity resource', () => {
    rejects((c) => {
      c.identityResources = ['openid'];
      c.apiResources = [{ name: 'urn:api', scopes: ['openid'] }];
    }, 'apiResources[0].scopes[0]', /"openid" is not defined/);
  });

  it('client without a secret while requireClientSecret is true (the default)', () => {
    rejects(
      (c) => (c.clients[0].clientSecrets = []),
      'clients[0].clientSecrets',
      /requires a secret \(requireClientSecret defaults to true\) but has none; add a secret, or set "requireClientSecret": false/,
    );
  });

  it('public client with client_credentials', () => {
    rejects((c) => {
      c.clients[0].clientSecrets = [];
      c.clients[0].requireClientSecret = false;
    }, 'clients[0].allowedGrantTypes', /client_credentials needs a confidential client .*set "requireClientSecret": true and add a secret/);
  });

  it('bad accessTokenType', () => {
    rejects((c) => (c.clients[0].accessTokenType = 'JWT'), 'clients[0].accessTokenType', /^must be "jwt" or "reference"$/);
  });

  it('negative or zero accessTokenLifetime', () => {
    rejects((c) => (c.clients[0].accessTokenLifetime = -1), 'clients[0].accessTokenLifetime', /^must be a positive number of seconds$/);
    rejects((c) => (c.clients[0].accessTokenLifetime = 0), 'clients[0].accessTokenLifetime', /^must be a positive number of seconds$/);
  });

  it('accessTokenLifetime over one year', () => {
    rejects((c) => (c.clients[0].accessTokenLifetime = 31_536_001), 'clients[0].accessTokenLifetime', /at most 31536000/);
  });

  // A value that is present but wrong must not be reported as missing ("is required: ..."): see the report on load.ts.
  it('non-integer accessTokenLifetime says "whole number", not "is required"', () => {
    rejects((c) => (c.clients[0].accessTokenLifetime = 1.5), 'clients[0].accessTokenLifetime', /^must be a whole number of seconds$/);
  });

  it('accessTokenLifetime written as a string says it must be a number, not "is required"', () => {
    rejects((c) => (c.clients[0].accessTokenLifetime = '1h'), 'clients[0].accessTokenLifetime', /^must be a number of seconds such as 3600$/);
  });

  it('clients written as an object says it must be an array, not "is required"', () => {
    rejects((c) => (c.clients = {}), 'clients', /^must be an array of clients$/);
  });

  it('a configuration that is not an object says so, without "is required"', () => {
    for (const input of ['hello', [], 42]) {
      assert.throws(
        () => parseConfig(input),
        (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && error.problems[0]!.path === '' && !/^is required/.test(error.problems[0]!.message),
      );
    }
  });

  it('unknown signing algorithm', () => {
    rejects((c) => (c.keyManagement = { signingAlgorithms: ['RS256', 'HS256'] }), 'keyManagement.signingAlgorithms[1]', /must be one of "RS256", "PS256", "ES256", "EdDSA" or \{ "name": "ES256" \}/);
    rejects((c) => (c.keyManagement = { signingAlgorithms: [{ name: 'HS256' }] }), 'keyManagement.signingAlgorithms[0]', /must be one of "RS256"/);
  });

  it('duplicated signing algorithm, also when written both ways', () => {
    rejects((c) => (c.keyManagement = { signingAlgorithms: ['ES256', 'ES256'] }), 'keyManagement.signingAlgorithms', /must not list an algorithm twice/);
    rejects((c) => (c.keyManagement = { signingAlgorithms: ['RS256', { name: 'RS256' }] }), 'keyManagement.signingAlgorithms', /must not list an algorithm twice/);
  });

  it('empty signingAlgorithms', () => {
    rejects((c) => (c.keyManagement = { signingAlgorithms: [] }), 'keyManagement.signingAlgorithms', /must list at least one algorithm, e\.g\. \["RS256"\]/);
  });

  it('propagationTime not shorter than rotationInterval', () => {
    const shorter = /must be shorter than rotationInterval \(1209600 s\), so a new key is announced before the current one stops signing/;
    // Equal: the default propagationTime (14d) against a 14-day rotation.
    rejects((c) => (c.keyManagement = { rotationInterval: '14d' }), 'keyManagement.propagationTime', shorter);
    rejects((c) => (c.keyManagement = { rotationInterval: 1209600, propagationTime: '15d' }), 'keyManagement.propagationTime', shorter);
    assert.doesNotThrow(() => parseConfig({ keyManagement: { rotationInterval: '14d', propagationTime: '13d' } }));
  });

  for (const [label, value] of [
    ['"5 days"', '5 days'],
    ['"0d"', '0d'],
    ['-1', -1],
    ['0', 0],
    ['1.5', 1.5],
    ['"90"', '90'],
    ['"1w"', '1w'],
    ['"-5d"', '-5d'],
  ] as const) {
    it(`bad duration ${label}`, () => {
      rejects(
        (c) => (c.keyManagement = { rotationInterval: value }),
        'keyManagement.rotationInterval',
        /must be a positive whole number of seconds or a string such as "14d", "12h", "30m" \(how long a key signs before the next one takes over\)/,
      );
    });
  }

  it('duration of the wrong type', () => {
    rejects((c) => (c.keyManagement = { retentionDuration: true }), 'keyManagement.retentionDuration', /must be a number of seconds or a string such as "90d"/);
  });

  it('identityResources with an unknown standard name', () => {
    rejects(
      (c) => (c.identityResources = ['openid', 'emails']),
      'identityResources[1]',
      /"emails" is not a standard identity resource; use one of openid, profile, email, address, phone or write an object \{ "name": "emails", "userClaims": \[\.\.\.\] \}/,
    );
  });

  it('identityResources entry of the wrong shape', () => {
    rejects((c) => (c.identityResources = [42]), 'identityResources[0]', /must be a standard name \("openid", "profile", "email", "address", "phone"\) or an object/);
  });

  for (const [label, issuer] of [
    ['a query', 'https://login.example.com/?tenant=1'],
    ['an empty query', 'https://login.example.com?'],
    ['a fragment', 'https://login.example.com#top'],
    ['an ftp scheme', 'ftp://login.example.com'],
    ['no scheme', 'login.example.com'],
  ] as const) {
    it(`issuer with ${label}`, () => {
      rejects((c) => (c.issuer = issuer), 'issuer', /must be an http\(s\) URL without query or fragment, e\.g\. "https:\/\/login\.example\.com"/);
    });
  }

  it('allowedAccessTokenSigningAlgorithms not in keyManagement.signingAlgorithms', () => {
    rejects(
      (c) => (c.apiResources = [{ name: 'urn:api', scopes: ['api'], allowedAccessTokenSigningAlgorithms: ['RS256', 'ES256'] }]),
      'apiResources[0].allowedAccessTokenSigningAlgorithms[1]',
      /ES256 has no signing key; add it to keyManagement\.signingAlgorithms or remove it here/,
    );
    assert.doesNotThrow(() =>
      parseConfig({ ...minimal(), keyManagement: { signingAlgorithms: ['RS256', 'ES256'] }, apiResources: [{ name: 'urn:api', allowedAccessTokenSigningAlgorithms: ['ES256'] }] }),
    );
  });

  it('allowedAccessTokenSigningAlgorithms naming an unknown algorithm', () => {
    rejects((c) => (c.apiResources = [{ name: 'urn:api', allowedAccessTokenSigningAlgorithms: ['HS256'] }]), 'apiResources[0].allowedAccessTokenSigningAlgorithms[0]', /must be one of RS256, PS256, ES256, EdDSA/);
  });

  it('secret of the wrong type, empty, or with a bad expiration', () => {
    rejects((c) => (c.clients[0].clientSecrets = [42]), 'clients[0].clientSecrets[0]', /must be a secret string or an object \{ "value": "\.\.\.", "expiration"\?: "ISO date"/);
    rejects((c) => (c.clients[0].clientSecrets = ['']), 'clients[0].clientSecrets[0]', /must not be empty/);
    rejects((c) => (c.clients[0].clientSecrets = [{ value: 'x', expiration: 'next year' }]), 'clients[0].clientSecrets[0].expiration', /must be an ISO 8601 date and time with a zone/);
    rejects((c) => (c.clients[0].clientSecrets = [{ value: 'x', expiration: '2027-01-31T00:00:00' }]), 'clients[0].clientSecrets[0].expiration', /with a zone/);
  });

  it('a password that looks like another kind of hash is refused, not taken as the password', () => {
    rejects((c) => (c.users = [{ subjectId: '1', username: 'alice', password: '$2b$10$abcdefghijklmnopqrstuv' }]), 'users[0].password', /argon2id/);
  });

  // A "sha256:" prefix says the author meant a hash; one of the wrong length (hex, truncated) would otherwise be
  // taken as the plain secret "sha256:..." and no client could ever authenticate. See the report on secrets.ts.
  it('a sha256:/sha512: secret that is not the base64 of a digest of the right length', () => {
    const hex = 'a'.repeat(64);
    rejects((c) => (c.clients[0].clientSecrets = [`sha256:${hex}`]), 'clients[0].clientSecrets[0]', /sha256/, /base64/);
    rejects((c) => (c.clients[0].clientSecrets = [{ value: `sha512:${Buffer.alloc(32).toString('base64')}` }]), 'clients[0].clientSecrets[0].value', /sha512/, /base64/);
  });

  it('user with an empty password or a claim of the wrong type', () => {
    rejects((c) => (c.users = [{ subjectId: '1', username: 'alice', password: '' }]), 'users[0].password', /must not be empty .*argon2id/);
    rejects((c) => (c.users = [{ subjectId: '1', username: 'alice', password: 'x', claims: { age: null } }]), 'users[0].claims.age', /must be a string, number, boolean, array of strings or object/);
  });

  it('reports every problem of one pass together', () => {
    const problems = problemsOf((c) => {
      c.issuer = 'ftp://x';
      c.clients[0].redirectUris = ['/cb'];
      c.clients[0].accessTokenType = 'opaque';
    });
    assert.deepEqual(problems.map((p) => p.path).sort(), ['clients[0].accessTokenType', 'clients[0].redirectUris[0]', 'issuer']);
  });

  // docs/configuration.md says so: the rules across fields run once every field has the right type.
  it('checks the rules across fields once every field has the right type', () => {
    const mistakes = (c: Json) => {
      c.clients[0].allowedScopes = ['undefined-scope'];
      c.clients[0].accessTokenType = 'opaque';
    };
    assert.deepEqual(problemsOf(mistakes).map((p) => p.path), ['clients[0].accessTokenType']);
    assert.deepEqual(problemsOf((c) => (c.clients[0].allowedScopes = ['undefined-scope'])).map((p) => p.path), ['clients[0].allowedScopes[0]']);
  });

  it('formats the ConfigError message as "source: invalid configuration" then one indented line per problem', () => {
    assert.throws(
      () => parseConfig({ ...minimal(), clients: [{ ...minimal().clients[0], redirectUris: ['https://a.example.com/#x'] }] }, 'idproo.json'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.name, 'ConfigError');
        assert.equal(
          error.message,
          'idproo.json: invalid configuration\n  clients[0].redirectUris[0]: must be an absolute URI without a fragment (a registered redirect URI), e.g. "https://app.example.com/callback"',
        );
        return true;
      },
    );
  });
});

describe('formatPath', () => {
  it('writes paths as they read in the file', () => {
    assert.equal(formatPath([]), '');
    assert.equal(formatPath(['issuer']), 'issuer');
    assert.equal(formatPath([0]), '[0]');
    assert.equal(formatPath(['clients', 2, 'redirectUris', 0]), 'clients[2].redirectUris[0]');
    assert.equal(formatPath(['users', 0, 'claims', 'address', 'street']), 'users[0].claims.address.street');
  });
});

describe('loadConfigFile', () => {
  it('rejects a file that is not JSON, naming the file', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "clients": [ }');
    await assert.rejects(loadConfigFile(file), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 1);
      assert.equal(error.problems[0]!.path, '');
      assert.match(error.problems[0]!.message, /^is not valid JSON: /);
      assert.ok(error.message.startsWith(`${file}: invalid configuration\n  (root): is not valid JSON`));
      return true;
    });
  });

  it('rejects a missing file, naming it', async () => {
    const file = join(dir, 'missing.json');
    await assert.rejects(loadConfigFile(file), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems.map((p) => p.path), ['']);
      assert.match(error.problems[0]!.message, /file not found/);
      assert.ok(error.message.startsWith(`${file}:`));
      return true;
    });
  });

  it('rejects a directory with a readable reason', async () => {
    await assert.rejects(loadConfigFile(dir), (error: unknown) => error instanceof ConfigError && /cannot be read \(EISDIR\)/.test(error.problems[0]!.message));
  });

  it('validates what it reads and names the file as the source', async () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ ...minimal(), clients: [{ ...minimal().clients[0], redirectUris: ['callback'] }] }));
    await assert.rejects(loadConfigFile(file), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid configuration\\n  clients\\[0\\]\\.redirectUris\\[0\\]: must be an absolute URI`));
      return true;
    });
  });

  it('returns the same result as parseConfig for a valid file', async () => {
    const file = join(dir, 'valid.json');
    writeFileSync(file, JSON.stringify(minimal()));
    assert.deepEqual(await loadConfigFile(file), parseConfig(minimal()));
  });
});

describe('the schema object', () => {
  it('is strict at every level that has fixed fields', () => {
    const result = v.safeParse(configSchema, { keyManagement: { signingAlgorithms: [{ name: 'RS256', use: 'sig' }] } });
    assert.equal(result.success, false);
  });
});
