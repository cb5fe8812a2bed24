import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import type { IdProoConfigInput } from '../../src/config/schema.ts';
import type { IdProoEvent } from '../../src/events/events.ts';
import { issueAccessToken } from '../../src/tokens/access-token.ts';
import { issueRefreshToken } from '../../src/tokens/refresh-token.ts';
import { epochSeconds } from '../../src/util/clock.ts';
import { randomHandle } from '../../src/util/crypto.ts';
import { resolveAudience } from '../../src/validation/resource-indicators.ts';
import { basic, postForm, startTestServer, testConfig, type TestServer } from '../support/server.ts';
import { assertError, jwtPayload } from './hostile-support.ts';

/**
 * The refresh token grant (RFC 6749 §6, OIDC Core §12) over real HTTP. The authorization endpoint does
 * not exist yet, so each family starts as the code grant will start it: an access token and
 * issueRefreshToken written straight into the server's stores.
 */

const secretOf = (clientId: string) => `${clientId}-secret`;
const webScopes = ['openid', 'profile', 'invoices.read', 'invoices.write', 'offline_access'];

/** One confidential client per refresh-token setting under test, a public SPA, and one without offline access. */
function refreshConfig(): IdProoConfigInput {
  const base = testConfig();
  const confidential = (clientId: string, settings: Record<string, unknown> = {}) => ({
    clientId,
    clientSecrets: [secretOf(clientId)],
    allowedGrantTypes: ['refresh_token' as const],
    allowedScopes: webScopes,
    allowOfflineAccess: true,
    ...settings,
  });
  return {
    ...base,
    identityResources: ['openid', 'profile', 'email'],
    apiResources: [
      { name: 'urn:invoices', scopes: ['invoices.read', 'invoices.write'], apiSecrets: ['invoices-secret'], userClaims: ['email'] },
      { name: 'https://orders.example.com', scopes: ['orders'], apiSecrets: ['orders-secret'], allowedAccessTokenSigningAlgorithms: ['ES256'] },
    ],
    users: [
      { subjectId: 'alice', username: 'alice', password: 'alice-password', claims: { name: 'Alice', email: 'alice@example.com' } },
      { subjectId: 'bob', username: 'bob', password: 'bob-password', claims: { name: 'Bob' } },
    ],
    clients: [
      ...(base.clients ?? []),
      confidential('web'),
      confidential('web-2'),
      confidential('web-reference', { accessTokenType: 'reference' }),
      confidential('web-grace', { refreshTokenGraceSeconds: 5 }),
      confidential('web-reuse', { refreshTokenUsage: 'ReUse' }),
      confidential('web-sliding', { refreshTokenExpiration: 'Sliding', slidingRefreshTokenLifetime: 100, absoluteRefreshTokenLifetime: 250 }),
      confidential('web-absolute', { absoluteRefreshTokenLifetime: 250 }),
      confidential('web-reuse-sliding', { refreshTokenUsage: 'ReUse', refreshTokenExpiration: 'Sliding', slidingRefreshTokenLifetime: 100, absoluteRefreshTokenLifetime: 250 }),
      confidential('web-fresh-claims', { updateAccessTokenClaimsOnRefresh: true }),
      confidential('web-no-offline', { allowOfflineAccess: false }),
      {
        clientId: 'spa',
        requireClientSecret: false,
        allowedGrantTypes: ['refresh_token'],
        allowedScopes: webScopes,
        allowOfflineAccess: true,
        // Public clients are rotated whatever this says (RFC 9700 §4.14.2).
        refreshTokenUsage: 'ReUse',
        allowedCorsOrigins: ['https://spa.example.com'],
      },
    ],
  };
}

let now = Date.UTC(2027, 0, 1);
const clock = { now: () => now };
const events: IdProoEvent[] = [];
let server: TestServer;
let tokenUrl: string;
let introspectUrl: string;
let revokeUrl: string;

before(async () => {
  server = await startTestServer({ config: refreshConfig(), clock, onEvent: (event) => events.push(event), cleanupIntervalMs: 0 });
  tokenUrl = `${server.issuer}/connect/token`;
  introspectUrl = `${server.issuer}/connect/introspect`;
  revokeUrl = `${server.issuer}/connect/revocation`;
});
after(() => server.close());

interface Family {
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly familyId: string;
}

/** What the code grant will do at redemption: an access token and the first refresh token of a new family. */
async function startFamily(clientId: string, options: { scopes?: readonly string[]; subjectId?: string } = {}): Promise<Family> {
  const services = server.idproo.services;
  const owner = (await services.stores.clients.findClientById(clientId))!;
  const scopes = options.scopes ?? webScopes;
  const subjectId = options.subjectId ?? 'alice';
  const audience = resolveAudience(scopes, [], await services.resources.get(), services.keys.algorithms);
  const familyId = randomHandle(16);
  const authTime = epochSeconds(now) - 60;
  const access = await issueAccessToken({ client: owner, grantType: 'authorization_code', subjectId, ...audience, authTime, sessionId: 'session-1', familyId }, services);
  const refreshToken = await issueRefreshToken(
    { client: owner, subjectId, sessionId: 'session-1', scopes, authTime, amr: ['pwd'], familyId, accessTokenJti: access.jti, accessTokenExpiresAt: access.expiresAt },
    services,
  );
  return { refreshToken, accessToken: access.accessToken, familyId };
}

const auth = (clientId: string) => ({ authorization: basic(clientId, secretOf(clientId)) });

/**
 * A refresh request, one millisecond after the previous one: the clock stands still otherwise, and a
 * request that begins no later than the rotation it lost is concurrent rather than a reuse.
 */
function refresh(clientId: string, refreshToken: string, extra: Record<string, string> = {}) {
  now += 1;
  const headers = clientId === 'spa' ? {} : auth(clientId);
  return postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, ...(clientId === 'spa' ? { client_id: 'spa' } : {}), ...extra }, headers);
}

async function refreshed(clientId: string, refreshToken: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const answer = await refresh(clientId, refreshToken, extra);
  assert.equal(answer.status, 200, answer.text);
  return answer.json as Record<string, string>;
}

/** Introspection by the token's client (refresh tokens) or by the invoices API (access tokens). */
async function introspect(token: string, by: Record<string, string> = { authorization: basic('urn:invoices', 'invoices-secret') }) {
  const answer = await postForm(introspectUrl, { token }, by);
  assert.equal(answer.status, 200, answer.text);
  return answer.json!;
}
const isActive = async (token: string, by?: Record<string, string>) => (await introspect(token, by)).active === true;

const answerError = (answer: Awaited<ReturnType<typeof postForm>>) => ({ status: answer.status, headers: answer.headers, text: answer.text });

describe('refresh token grant: the happy path with openid-client as the relying party', () => {
  it('openid-client refreshes: a new access token, a new refresh token and an ID token for the same user and sign-in', async () => {
    const family = await startFamily('web');
    const config = await client.discovery(new URL(server.issuer), 'web', undefined, client.ClientSecretBasic(secretOf('web')), {
      execute: [client.allowInsecureRequests],
    });
    assert.ok(config.serverMetadata().grant_types_supported?.includes('refresh_token'));
    const tokens = await client.refreshTokenGrant(config, family.refreshToken);
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token && tokens.refresh_token !== family.refreshToken, 'OneTimeOnly: rotated');
    assert.equal(tokens.scope, webScopes.join(' '));
    const idToken = tokens.claims()!;
    // OIDC Core §12.2: same iss, sub and aud; auth_time of the original sign-in; no nonce.
    assert.equal(idToken.iss, server.issuer);
    assert.equal(idToken.sub, 'alice');
    assert.equal(idToken.aud, 'web');
    assert.equal(idToken.auth_time, epochSeconds(now) - 60);
    assert.equal(idToken.nonce, undefined);
    const access = jwtPayload(tokens.access_token);
    assert.equal(access.sub, 'alice');
    assert.equal(access.sid, 'session-1');
    assert.equal(access.email, 'alice@example.com', 'the API resource asks for email');
    // openid-client keeps going with what it was given.
    const again = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(again.refresh_token, tokens.refresh_token);
  });

  it('the answer is not cacheable (RFC 6749 §5.1)', async () => {
    const family = await startFamily('web');
    const answer = await refresh('web', family.refreshToken);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });
});

describe('rotation and reuse detection (RFC 9700 §4.14.2)', () => {
  for (const clientId of ['web', 'web-reference']) {
    it(`${clientId}: each refresh rotates; the rotated token presented again revokes the whole family`, async () => {
      const family = await startFamily(clientId);
      const first = await refreshed(clientId, family.refreshToken);
      const second = await refreshed(clientId, first.refresh_token!);
      assert.notEqual(first.refresh_token, family.refreshToken);
      assert.notEqual(second.refresh_token, first.refresh_token);
      for (const token of [family.accessToken, first.access_token!, second.access_token!]) assert.equal(await isActive(token), true);

      events.length = 0;
      const reuse = await refresh(clientId, first.refresh_token!);
      assertError(answerError(reuse), 400, 'invalid_grant');
      const reused = events.find((e) => e.type === 'refresh_token.reused');
      assert.ok(reused && reused.type === 'refresh_token.reused' && reused.familyId === family.familyId && reused.revoked >= 3);
      // Every access token of the family is dead, and so is the newest refresh token.
      for (const token of [family.accessToken, first.access_token!, second.access_token!]) assert.equal(await isActive(token), false);
      assertError(answerError(await refresh(clientId, second.refresh_token!)), 400, 'invalid_grant');
      assertError(answerError(await refresh(clientId, family.refreshToken)), 400, 'invalid_grant');
    });
  }

  it('a reuse long after the rotation is still recognised (the rotated token stays stored until the family ends)', async () => {
    const family = await startFamily('web');
    const first = await refreshed('web', family.refreshToken);
    now += 20 * 86_400_000;
    try {
      assertError(answerError(await refresh('web', family.refreshToken)), 400, 'invalid_grant');
      assertError(answerError(await refresh('web', first.refresh_token!)), 400, 'invalid_grant');
    } finally {
      now -= 20 * 86_400_000;
    }
  });
});

describe('the grace window (docs/decisions/0009-refresh-token-grace-window.md)', () => {
  it('a retry within the grace window gets the same refresh token and an access token with the same claims', async () => {
    const family = await startFamily('web-grace');
    const first = await refreshed('web-grace', family.refreshToken);
    events.length = 0;
    now += 2000;
    const retry = await refreshed('web-grace', family.refreshToken);
    now -= 2000;
    assert.equal(retry.refresh_token, first.refresh_token);
    assert.deepEqual(jwtPayload(retry.access_token!), jwtPayload(first.access_token!));
    assert.ok(events.some((e) => e.type === 'refresh_token.grace_replayed'));
    assert.ok(!events.some((e) => e.type === 'refresh_token.reused'));
    // The pair works: the successor rotates normally.
    await refreshed('web-grace', first.refresh_token!);
  });

  it('after the grace window the same retry is a reuse: the family is revoked', async () => {
    const family = await startFamily('web-grace');
    const first = await refreshed('web-grace', family.refreshToken);
    now += 5000;
    try {
      assertError(answerError(await refresh('web-grace', family.refreshToken)), 400, 'invalid_grant');
    } finally {
      now -= 5000;
    }
    assertError(answerError(await refresh('web-grace', first.refresh_token!)), 400, 'invalid_grant');
    assert.equal(await isActive(first.access_token!), false);
  });

  it('within the grace window, a retry after the successor was itself rotated is a reuse', async () => {
    const family = await startFamily('web-grace');
    const first = await refreshed('web-grace', family.refreshToken);
    const second = await refreshed('web-grace', first.refresh_token!);
    assertError(answerError(await refresh('web-grace', family.refreshToken)), 400, 'invalid_grant');
    assertError(answerError(await refresh('web-grace', second.refresh_token!)), 400, 'invalid_grant');
  });

  it('20 concurrent refreshes with one token and no grace window: exactly one succeeds, the rest are refused without revoking', async () => {
    const family = await startFamily('web');
    events.length = 0;
    // All 20 begin at one instant (the test clock stands still meanwhile), so each loser raced the rotation.
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh('web', family.refreshToken)));
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1);
    for (const answer of answers.filter((a) => a.status !== 200)) assertError(answerError(answer), 400, 'invalid_grant');
    const reuses = events.filter((e) => e.type === 'refresh_token.reused');
    assert.equal(reuses.length, 19);
    assert.ok(reuses.every((e) => e.type === 'refresh_token.reused' && e.revoked === 0));
    // The winner's pair works; the old token presented later, after the race, is a reuse that revokes.
    const next = await refreshed('web', String(ok[0]!.json!.refresh_token));
    assertError(answerError(await refresh('web', family.refreshToken)), 400, 'invalid_grant');
    assertError(answerError(await refresh('web', next.refresh_token!)), 400, 'invalid_grant');
  });

  it('20 concurrent refreshes with one token and a grace window: all succeed with the same refresh token', async () => {
    const family = await startFamily('web-grace');
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh('web-grace', family.refreshToken)));
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    const refreshTokens = new Set(answers.map((a) => a.json!.refresh_token));
    assert.equal(refreshTokens.size, 1);
    const jtis = new Set(answers.map((a) => jwtPayload(String(a.json!.access_token)).jti));
    assert.equal(jtis.size, 1);
    await refreshed('web-grace', [...refreshTokens][0] as string);
  });
});

describe('ReUse, and public clients', () => {
  it('ReUse: the same refresh token comes back and keeps working; revoking it revokes every access token issued from it', async () => {
    const family = await startFamily('web-reuse');
    const first = await refreshed('web-reuse', family.refreshToken);
    const second = await refreshed('web-reuse', family.refreshToken);
    assert.equal(first.refresh_token, family.refreshToken);
    assert.equal(second.refresh_token, family.refreshToken);
    assert.notEqual(jwtPayload(first.access_token!).jti, jwtPayload(second.access_token!).jti);
    const revoked = await postForm(revokeUrl, { token: family.refreshToken }, auth('web-reuse'));
    assert.equal(revoked.status, 200);
    for (const token of [family.accessToken, first.access_token!, second.access_token!]) assert.equal(await isActive(token), false);
    assertError(answerError(await refresh('web-reuse', family.refreshToken)), 400, 'invalid_grant');
  });

  it('a public client authenticates with client_id alone and is always rotated, whatever refreshTokenUsage says', async () => {
    const family = await startFamily('spa');
    const first = await refreshed('spa', family.refreshToken);
    assert.notEqual(first.refresh_token, family.refreshToken);
    assertError(answerError(await refresh('spa', family.refreshToken)), 400, 'invalid_grant');
    assertError(answerError(await refresh('spa', first.refresh_token!)), 400, 'invalid_grant');
  });
});

describe('expiry: Sliding and Absolute', () => {
  it('Sliding: each refresh gives a token that lasts the sliding lifetime, capped by the absolute lifetime of the family', async () => {
    const start = now;
    try {
      const family = await startFamily('web-sliding');
      now = start + 90_000;
      const first = await refreshed('web-sliding', family.refreshToken);
      assert.equal((await introspect(first.refresh_token!, auth('web-sliding'))).exp, epochSeconds(start + 190_000));
      now = start + 180_000;
      const second = await refreshed('web-sliding', first.refresh_token!);
      assert.equal((await introspect(second.refresh_token!, auth('web-sliding'))).exp, epochSeconds(start + 250_000), 'capped by the family');
      now = start + 250_000;
      assertError(answerError(await refresh('web-sliding', second.refresh_token!)), 400, 'invalid_grant');
    } finally {
      now = start;
    }
  });

  it('Sliding: a token unused for longer than the sliding lifetime expires', async () => {
    const start = now;
    try {
      const family = await startFamily('web-sliding');
      now = start + 100_000;
      assertError(answerError(await refresh('web-sliding', family.refreshToken)), 400, 'invalid_grant');
      assert.equal(await isActive(family.refreshToken, auth('web-sliding')), false);
    } finally {
      now = start;
    }
  });

  it('Absolute: rotation does not extend the family; it ends at the absolute lifetime from its first token', async () => {
    const start = now;
    try {
      const family = await startFamily('web-absolute');
      now = start + 200_000;
      const first = await refreshed('web-absolute', family.refreshToken);
      assert.equal((await introspect(first.refresh_token!, auth('web-absolute'))).exp, epochSeconds(start + 250_000));
      now = start + 250_000;
      assertError(answerError(await refresh('web-absolute', first.refresh_token!)), 400, 'invalid_grant');
    } finally {
      now = start;
    }
  });

  it('ReUse with Sliding: each use moves the same token\'s end, capped by the family', async () => {
    const start = now;
    try {
      const family = await startFamily('web-reuse-sliding');
      now = start + 90_000;
      const first = await refreshed('web-reuse-sliding', family.refreshToken);
      assert.equal(first.refresh_token, family.refreshToken);
      assert.equal((await introspect(family.refreshToken, auth('web-reuse-sliding'))).exp, epochSeconds(start + 190_000));
      now = start + 180_000;
      await refreshed('web-reuse-sliding', family.refreshToken);
      assert.equal((await introspect(family.refreshToken, auth('web-reuse-sliding'))).exp, epochSeconds(start + 250_000), 'capped by the family');
      now = start + 250_000;
      assertError(answerError(await refresh('web-reuse-sliding', family.refreshToken)), 400, 'invalid_grant');
    } finally {
      now = start;
    }
  });
});

describe('scope, client and user checks', () => {
  it('scope may narrow the granted scopes: the access token has only those, no ID token without openid, and the next refresh may ask for all again', async () => {
    const family = await startFamily('web');
    const narrow = await refreshed('web', family.refreshToken, { scope: 'invoices.read' });
    assert.equal(narrow.scope, 'invoices.read');
    assert.equal(jwtPayload(narrow.access_token!).scope, 'invoices.read');
    assert.equal(narrow.id_token, undefined);
    const full = await refreshed('web', narrow.refresh_token!);
    assert.equal(full.scope, webScopes.join(' '));
    assert.ok(full.id_token);
  });

  for (const [label, scope] of [
    ['a scope the client is allowed but was not granted', 'invoices.write'],
    ['an unknown scope', 'admin'],
    ['a malformed scope list', 'invoices.read  openid'],
  ] as const) {
    it(`${label} → 400 invalid_scope, and the refresh token is still usable`, async () => {
      const family = await startFamily('web', { scopes: ['openid', 'invoices.read', 'offline_access'] });
      assertError(answerError(await refresh('web', family.refreshToken, { scope })), 400, 'invalid_scope');
      await refreshed('web', family.refreshToken);
    });
  }

  it('a resource that was not part of the authorization → 400 invalid_target', async () => {
    const family = await startFamily('web');
    assertError(answerError(await refresh('web', family.refreshToken, { resource: 'https://orders.example.com' })), 400, 'invalid_target');
  });

  it("another client's refresh token → 400 invalid_grant, and it stays usable by its own client", async () => {
    const family = await startFamily('web');
    assertError(answerError(await refresh('web-2', family.refreshToken)), 400, 'invalid_grant');
    await refreshed('web', family.refreshToken);
  });

  it('an unknown refresh token → 400 invalid_grant', async () => {
    assertError(answerError(await refresh('web', randomHandle(32))), 400, 'invalid_grant');
  });

  it('a 60 KB refresh token → 400 invalid_grant', async () => {
    assertError(answerError(await refresh('web', 'x'.repeat(60_000))), 400, 'invalid_grant');
  });

  it('no refresh_token → 400 invalid_request', async () => {
    assertError(answerError(await postForm(tokenUrl, { grant_type: 'refresh_token' }, auth('web'))), 400, 'invalid_request');
  });

  it('refresh_token twice → 400 invalid_request', async () => {
    const family = await startFamily('web');
    const body = `grant_type=refresh_token&refresh_token=${family.refreshToken}&refresh_token=${family.refreshToken}`;
    assertError(answerError(await postForm(tokenUrl, body, auth('web'))), 400, 'invalid_request');
  });

  it('a client without allowOfflineAccess → 400 unauthorized_client', async () => {
    assertError(answerError(await refresh('web-no-offline', randomHandle(32))), 400, 'unauthorized_client');
  });

  it('a client not registered for the refresh_token grant → 400 unauthorized_client', async () => {
    const answer = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: randomHandle(32) }, { authorization: basic('service', 'service-secret') });
    assertError(answerError(answer), 400, 'unauthorized_client');
  });

  it('a public client presenting a confidential client’s refresh token by client_id → 401 invalid_client', async () => {
    const family = await startFamily('web');
    assertError(answerError(await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: family.refreshToken, client_id: 'web' })), 401, 'invalid_client');
  });

  it('a disabled user → 400 invalid_grant; enabled again, the token works', async () => {
    const users = server.idproo.services.stores.users;
    const carol = { subjectId: 'carol', username: 'carol', passwordHash: 'unused', enabled: true, claims: {} };
    await users.saveUser(carol);
    const family = await startFamily('web', { subjectId: 'carol' });
    await users.saveUser({ ...carol, enabled: false });
    assertError(answerError(await refresh('web', family.refreshToken)), 400, 'invalid_grant');
    assert.equal(await isActive(family.refreshToken, auth('web')), false);
    await users.saveUser(carol);
    await refreshed('web', family.refreshToken);
  });

  it('a removed user → 400 invalid_grant', async () => {
    const users = server.idproo.services.stores.users;
    await users.saveUser({ subjectId: 'dave', username: 'dave', passwordHash: 'unused', enabled: true, claims: {} });
    const family = await startFamily('web', { subjectId: 'dave' });
    await users.removeUser('dave');
    assertError(answerError(await refresh('web', family.refreshToken)), 400, 'invalid_grant');
  });

  it('user claims in access tokens: those of the sign-in, unless the client updates them on refresh', async () => {
    const users = server.idproo.services.stores.users;
    const erin = { subjectId: 'erin', username: 'erin', passwordHash: 'unused', enabled: true, claims: { email: 'old@example.com' } };
    await users.saveUser(erin);
    const recorded = await startFamily('web', { subjectId: 'erin' });
    const updating = await startFamily('web-fresh-claims', { subjectId: 'erin' });
    await users.saveUser({ ...erin, claims: { email: 'new@example.com' } });
    assert.equal(jwtPayload((await refreshed('web', recorded.refreshToken)).access_token!).email, 'old@example.com');
    assert.equal(jwtPayload((await refreshed('web-fresh-claims', updating.refreshToken)).access_token!).email, 'new@example.com');
  });
});

describe('revocation (RFC 7009) and introspection (RFC 7662) of refresh tokens', () => {
  for (const hint of [undefined, 'refresh_token', 'access_token']) {
    it(`revoking a refresh token (hint ${hint ?? 'none'}) revokes its family: refresh tokens and access tokens`, async () => {
      const family = await startFamily('web-reference');
      const first = await refreshed('web-reference', family.refreshToken);
      const answer = await postForm(revokeUrl, { token: first.refresh_token!, ...(hint ? { token_type_hint: hint } : {}) }, auth('web-reference'));
      assert.equal(answer.status, 200);
      assert.equal(answer.text, '');
      for (const token of [family.accessToken, first.access_token!]) assert.equal(await isActive(token), false);
      assertError(answerError(await refresh('web-reference', first.refresh_token!)), 400, 'invalid_grant');
    });
  }

  it("another client's revocation of a refresh token answers 200 and changes nothing", async () => {
    const family = await startFamily('web');
    const answer = await postForm(revokeUrl, { token: family.refreshToken }, auth('web-2'));
    assert.equal(answer.status, 200);
    assert.equal(await isActive(family.accessToken), true);
    assert.equal(await isActive(family.refreshToken, auth('web')), true);
    await refreshed('web', family.refreshToken);
  });

  it('the client it was issued to learns a refresh token is active, with token_type refresh_token', async () => {
    const family = await startFamily('web', { scopes: ['openid', 'invoices.read', 'offline_access'] });
    const result = await introspect(family.refreshToken, auth('web'));
    assert.deepEqual(Object.keys(result).sort(), ['active', 'client_id', 'exp', 'iat', 'scope', 'sub', 'token_type']);
    assert.equal(result.active, true);
    assert.equal(result.token_type, 'refresh_token');
    assert.equal(result.client_id, 'web');
    assert.equal(result.sub, 'alice');
    assert.equal(result.scope, 'openid invoices.read offline_access');
    assert.equal(result.iat, epochSeconds(now));
    assert.equal(result.exp, epochSeconds(now) + 2_592_000);
  });

  it('another client and an API resource learn nothing but active: false', async () => {
    const family = await startFamily('web');
    assert.deepEqual(await introspect(family.refreshToken, auth('web-2')), { active: false });
    assert.deepEqual(await introspect(family.refreshToken), { active: false });
  });

  it('a rotated refresh token introspects as inactive', async () => {
    const family = await startFamily('web');
    const first = await refreshed('web', family.refreshToken);
    assert.deepEqual(await introspect(family.refreshToken, auth('web')), { active: false });
    assert.equal(await isActive(first.refresh_token!, auth('web')), true);
  });

  it('an expired refresh token introspects as inactive', async () => {
    const family = await startFamily('web-absolute');
    now += 250_000;
    try {
      assert.deepEqual(await introspect(family.refreshToken, auth('web-absolute')), { active: false });
    } finally {
      now -= 250_000;
    }
  });
});
