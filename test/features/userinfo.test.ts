import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { addUsers, alice, callbackUrl, codeGrantConfig, issueCode, relyingParty, userTokens } from '../support/code-grant.ts';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { jwtPayload, rawRequest, send, type Answer } from './hostile-support.ts';

/**
 * The UserInfo endpoint (OIDC Core §5.3) as a protected resource (RFC 6750): the token by header or
 * POST body, the claims of the granted identity scopes, and each error with its status and challenge.
 */

let server: TestServer;
let userinfo: string;
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };

before(async () => {
  server = await startTestServer({ config: codeGrantConfig(), clock });
  await addUsers(server);
  userinfo = `${server.issuer}/connect/userinfo`;
});
after(() => server.close());

const get = (token: string | undefined, init: RequestInit = {}) =>
  send(userinfo, { ...init, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(init.headers as Record<string, string>) } });

function json(answer: Answer): Record<string, unknown> {
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json\b/);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

/** RFC 6750 §3: the status, a JSON error body, and a Bearer challenge carrying the same error code. */
function assertBearerError(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  const body = json(answer);
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
  assert.equal(body['error'], code);
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.match(answer.headers.get('www-authenticate') ?? '', new RegExp(`^Bearer realm="idproo", error="${code}", error_description="[^"]*"$`));
}

/** RFC 6750 §3.1: no authentication at all → 401 and a challenge with no error code. */
function assertBareChallenge(answer: Answer): void {
  assert.equal(answer.status, 401, answer.text);
  assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="idproo"');
  json(answer);
}

describe('userinfo: answers (OIDC Core §5.3.2)', () => {
  it('openid-client reads UserInfo with the access token of a code; sub is the ID token’s', async () => {
    const issued = await issueCode(server, { scopes: ['openid', 'profile'] });
    const config = relyingParty(server, 'web', oidc.ClientSecretBasic('web-secret'));
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl(server, issued), { pkceCodeVerifier: issued.verifier!, expectedNonce: issued.data.nonce! });
    const sub = tokens.claims()!.sub;
    const claims = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    assert.equal(claims.sub, alice.subjectId);
    assert.equal(claims.name, 'Alice Liddell');
  });

  it('GET with the Authorization header → the profile claims for openid profile, and nothing else', async () => {
    const answer = await get((await userTokens(server, { scopes: ['openid', 'profile', 'invoices.read'] }))['access_token']);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(json(answer), { sub: alice.subjectId, name: 'Alice Liddell', given_name: 'Alice', website: 'https://alice.example' });
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  it('the email scope releases email and email_verified only', async () => {
    const answer = await get((await userTokens(server, { scopes: ['openid', 'email'] }))['access_token']);
    assert.deepEqual(json(answer), { sub: alice.subjectId, email: 'alice@example.com', email_verified: true });
  });

  it('openid alone releases only sub', async () => {
    const answer = await get((await userTokens(server, { scopes: ['openid'] }))['access_token']);
    assert.deepEqual(json(answer), { sub: alice.subjectId });
  });

  it('POST with the Authorization header → 200', async () => {
    const { access_token: token } = await userTokens(server);
    const answer = await send(userinfo, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(json(answer)['sub'], alice.subjectId);
  });

  it('POST with access_token in a form body (RFC 6750 §2.2) → 200', async () => {
    const { access_token: token } = await userTokens(server);
    const answer = await postForm(userinfo, { access_token: token! });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json!['sub'], alice.subjectId);
  });

  it('POST with the header and a body that is not a form → 200, the body ignored', async () => {
    const { access_token: token } = await userTokens(server);
    const answer = await send(userinfo, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(answer.status, 200, answer.text);
  });

  it('the scheme name is case-insensitive (RFC 9110 §11.1): "bearer" → 200', async () => {
    const { access_token: token } = await userTokens(server);
    const answer = await send(userinfo, { headers: { authorization: `bearer ${token}` } });
    assert.equal(answer.status, 200, answer.text);
  });

  it('a reference access token → 200', async () => {
    const { access_token: token } = await userTokens(server, { clientId: 'web-reference' });
    assert.doesNotMatch(token!, /\./);
    const answer = await get(token);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(json(answer)['name'], 'Alice Liddell');
  });
});

describe('userinfo: errors (RFC 6750 §3)', () => {
  it('no token → 401 with a bare Bearer challenge (no error code)', async () => {
    assertBareChallenge(await get(undefined));
  });

  it('POST with no token and no body → 401 with a bare Bearer challenge', async () => {
    assertBareChallenge(await send(userinfo, { method: 'POST' }));
  });

  it('Basic credentials instead of a bearer token → 401 with a bare Bearer challenge', async () => {
    assertBareChallenge(await send(userinfo, { headers: { authorization: basic('web', 'web-secret') } }));
  });

  it('a token that is not one → 401 invalid_token', async () => {
    assertBearerError(await get('not-a-token'), 401, 'invalid_token');
  });

  it('a JWT with a tampered payload → 401 invalid_token', async () => {
    const { access_token: token } = await userTokens(server);
    const [header, , signature] = token!.split('.');
    const payload = Buffer.from(JSON.stringify({ ...jwtPayload(token!), sub: 'mallory' })).toString('base64url');
    assertBearerError(await get(`${header}.${payload}.${signature}`), 401, 'invalid_token');
  });

  it('an expired token → 401 invalid_token', async () => {
    const { access_token: token } = await userTokens(server);
    offsetMs += 3_601_000;
    try {
      assertBearerError(await get(token), 401, 'invalid_token');
    } finally {
      offsetMs -= 3_601_000;
    }
  });

  it('a revoked token → 401 invalid_token', async () => {
    const { access_token: token } = await userTokens(server);
    const revoked = await postForm(`${server.issuer}/connect/revocation`, { token: token! }, { authorization: basic('web', 'web-secret') });
    assert.equal(revoked.status, 200);
    assertBearerError(await get(token), 401, 'invalid_token');
  });

  it('the token of a replayed code → 401 invalid_token (oidcc-codereuse-30seconds)', async () => {
    const issued = await issueCode(server);
    const form = { grant_type: 'authorization_code', code: issued.code, redirect_uri: issued.data.redirectUri, code_verifier: issued.verifier! };
    const first = await postForm(`${server.issuer}/connect/token`, form, { authorization: basic('web', 'web-secret') });
    assert.equal((await get(String(first.json!['access_token']))).status, 200);
    await postForm(`${server.issuer}/connect/token`, form, { authorization: basic('web', 'web-secret') });
    assertBearerError(await get(String(first.json!['access_token'])), 401, 'invalid_token');
  });

  it('a client credentials token → 403 insufficient_scope', async () => {
    const cc = await postForm(`${server.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: basic('service', 'service-secret') });
    assertBearerError(await get(String(cc.json!['access_token'])), 403, 'insufficient_scope');
  });

  it('a user token without openid → 403 insufficient_scope', async () => {
    const { access_token: token } = await userTokens(server, { scopes: ['invoices.read'] });
    assertBearerError(await get(token), 403, 'insufficient_scope');
  });

  it('a token whose user was disabled since → 401 invalid_token', async () => {
    const carol = { ...alice, subjectId: 'carol-sub', username: 'carol' };
    await server.idproo.services.stores.users.saveUser(carol);
    const { access_token: token } = await userTokens(server, { subjectId: 'carol-sub' });
    assert.equal((await get(token)).status, 200);
    await server.idproo.services.stores.users.saveUser({ ...carol, enabled: false });
    assertBearerError(await get(token), 401, 'invalid_token');
  });

  it('a token whose user was removed since → 401 invalid_token', async () => {
    const dave = { ...alice, subjectId: 'dave-sub', username: 'dave' };
    await server.idproo.services.stores.users.saveUser(dave);
    const { access_token: token } = await userTokens(server, { subjectId: 'dave-sub' });
    await server.idproo.services.stores.users.removeUser('dave-sub');
    assertBearerError(await get(token), 401, 'invalid_token');
  });

  it('the token in the header and in the body → 400 invalid_request (RFC 6750 §2: one method)', async () => {
    const { access_token: token } = await userTokens(server);
    assertBearerError(await postForm(userinfo, { access_token: token! }, { authorization: `Bearer ${token}` }), 400, 'invalid_request');
  });

  it('the token in the query string → 400 invalid_request', async () => {
    const { access_token: token } = await userTokens(server);
    assertBearerError(await send(`${userinfo}?access_token=${token}`), 400, 'invalid_request');
  });

  it('the token in the query string as well as the header → 400 invalid_request', async () => {
    const { access_token: token } = await userTokens(server);
    assertBearerError(await send(`${userinfo}?access_token=${token}`, { headers: { authorization: `Bearer ${token}` } }), 400, 'invalid_request');
  });

  it('"Bearer" with no token → 400 invalid_request', async () => {
    assertBearerError(await send(userinfo, { headers: { authorization: 'Bearer' } }), 400, 'invalid_request');
  });

  it('a bearer token that is not a b64token ("a b") → 400 invalid_request', async () => {
    assertBearerError(await send(userinfo, { headers: { authorization: 'Bearer a b' } }), 400, 'invalid_request');
  });

  it('Authorization on two lines → 400 invalid_request', async () => {
    const { access_token: token } = await userTokens(server);
    const port = Number(new URL(server.issuer).port);
    const answer = await rawRequest(
      port,
      `GET /connect/userinfo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    assertBearerError(answer, 400, 'invalid_request');
  });

  it('a POST body with access_token twice → 400 invalid_request', async () => {
    const { access_token: token } = await userTokens(server);
    const answer = await postForm(userinfo, `access_token=${token}&access_token=${token}`);
    assertBearerError(answer, 400, 'invalid_request');
  });

  it('PUT → 405 invalid_request, Allow: GET, POST, HEAD', async () => {
    const answer = await send(userinfo, { method: 'PUT' });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('allow'), 'GET, POST, HEAD');
    assert.equal(json(answer)['error'], 'invalid_request');
  });
});
