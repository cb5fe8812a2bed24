import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TestBrowser, submitLogin } from '../support/browser.ts';
import { alice, bob, interactiveConfig } from '../support/interactive.ts';

/** openid-client, a certified relying party, against the whole interactive flow over HTTP. */
describe('a stock relying party (openid-client)', () => {
  let server: TestServer;
  let config: client.Configuration;
  let publicConfig: client.Configuration;
  let offset = 0;
  before(async () => {
    server = await startTestServer({ config: interactiveConfig(), clock: { now: () => Date.now() + offset } });
    config = await client.discovery(new URL(server.issuer), 'web', undefined, client.ClientSecretBasic('web-secret-that-is-long'), { execute: [client.allowInsecureRequests] });
    publicConfig = await client.discovery(new URL(server.issuer), 'native', undefined, client.None(), { execute: [client.allowInsecureRequests] });
  });
  after(() => server.close());

  async function signIn(cfg: client.Configuration, redirectUri: string, scope: string, browser = new TestBrowser(server.issuer), user = alice) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(cfg, {
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const login = await browser.navigate(url.href);
    const done = await submitLogin(browser, login, user.username, user.password);
    assert.ok(done.location, `expected a redirect, got ${done.status}`);
    const tokens = await client.authorizationCodeGrant(cfg, new URL(done.location), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return { tokens, browser };
  }

  it('discovery advertises the interactive endpoints and nothing unimplemented', () => {
    const metadata = config.serverMetadata();
    assert.equal(metadata.authorization_endpoint, `${server.issuer}/connect/authorize`);
    assert.equal(metadata.userinfo_endpoint, `${server.issuer}/connect/userinfo`);
    assert.equal(metadata.end_session_endpoint, `${server.issuer}/connect/endsession`);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.equal(metadata.request_parameter_supported, false);
    assert.equal(metadata.request_uri_parameter_supported, false);
    assert.equal(metadata.claims_parameter_supported, false);
    assert.deepEqual(metadata.subject_types_supported, ['public']);
    assert.ok((metadata.scopes_supported ?? []).includes('openid'));
    assert.ok((metadata.scopes_supported ?? []).includes('offline_access'));
    assert.ok((metadata.grant_types_supported ?? []).includes('authorization_code'));
    assert.ok((metadata.grant_types_supported ?? []).includes('refresh_token'));
  });

  it('signs in with code + PKCE, gets an ID token, userinfo, a refresh, and signs out with the hint', async () => {
    const { tokens, browser } = await signIn(config, 'https://app.example.com/cb', 'openid profile email invoices.read offline_access');
    const claims = tokens.claims()!;
    assert.equal(claims.sub, alice.subjectId);
    assert.equal(claims.iss, server.issuer);
    assert.ok(claims.sid);
    assert.ok(tokens.refresh_token);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, alice.subjectId);
    assert.equal(info.name, 'Alice Example');
    assert.equal(info.email, 'alice@example.com');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub, alice.subjectId);

    // RP-Initiated Logout as deployed relying parties send it: the hint and the URI, no client_id, no state.
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://app.example.com/signed-out' });
    url.searchParams.delete('client_id');
    const out = await browser.request(url.href);
    assert.equal(out.status, 303);
    assert.equal(out.location, 'https://app.example.com/signed-out');
    const verifier = client.randomPKCECodeVerifier();
    const silent = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.com/cb',
      scope: 'openid',
      prompt: 'none',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const after = await browser.request(silent.href);
    assert.equal(new URL(after.location!).searchParams.get('error'), 'login_required');
  });

  it('an expired ID token is still a valid logout hint', async () => {
    const { tokens, browser } = await signIn(config, 'https://app.example.com/cb', 'openid');
    // The provider's time moves past the ID token's expiry (300 s) for the logout request.
    offset = 600_000;
    try {
      const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://app.example.com/signed-out', state: 'later' });
      const out = await browser.request(url.href);
      assert.equal(out.location, 'https://app.example.com/signed-out?state=later');
    } finally {
      offset = 0;
    }
  });

  it('a public native client with a loopback redirect on any port', async () => {
    const { tokens } = await signIn(publicConfig, 'http://127.0.0.1:53123/callback', 'openid');
    assert.equal(tokens.claims()?.aud, 'native');
  });

  it('an id_token_hint for another user than the session\'s asks for a sign-in (prompt=none: login_required)', async () => {
    const { tokens: bobs } = await signIn(config, 'https://app.example.com/cb', 'openid', undefined, bob);
    const { browser } = await signIn(config, 'https://app.example.com/cb', 'openid');
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.com/cb',
      scope: 'openid',
      prompt: 'none',
      id_token_hint: bobs.id_token!,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const page = await browser.request(url.href);
    assert.equal(new URL(page.location!).searchParams.get('error'), 'login_required');
  });
});
