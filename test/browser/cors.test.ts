import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { alice, authorizeUrl, interactiveConfig, pkce } from '../support/interactive.ts';
import { launch, pagePerTest, noChromium, RelyingParty, signIn } from './harness.ts';

interface Answer {
  readonly ok: boolean;
  readonly status?: number;
  readonly body?: Record<string, string>;
  readonly error?: string;
}

/** A fetch from the page's own origin; a rejection (CORS refused) is returned, not thrown. */
function fetchIn(page: Page, url: string, init: { form?: Record<string, string>; bearer?: string }): Promise<Answer> {
  return page.evaluate(async ({ url, form, bearer }) => {
    const headers: Record<string, string> = {};
    if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
    try {
      const response = await fetch(url, form === undefined ? { headers } : { method: 'POST', headers, body: new URLSearchParams(form) });
      return { ok: true, status: response.status, body: (await response.json()) as Record<string, string> };
    } catch (error) {
      return { ok: false, error: String(error) };
    }
  }, { url, form: init.form, bearer: init.bearer });
}

/**
 * CORS as a browser enforces it: a public SPA client served from an origin in its allowedCorsOrigins
 * redeems its code, refreshes and calls UserInfo from the page; a page on a third origin, listed by
 * no client, gets nothing (its fetch rejects).
 */
describe('CORS from pages on other origins, in Chromium', { skip: noChromium }, () => {
  const spa = new RelyingParty('SPA');
  const third = new RelyingParty('Elsewhere');
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const redirectUri = () => `${spa.origin}/app`;

  before(async () => {
    const launched = launch();
    await Promise.all([spa.listen(), third.listen()]);
    // The SPA's page: no script of its own; the test runs fetch in it.
    spa.routes.set('/app', () => ({ status: 200, body: '<!doctype html><html lang="en"><title>SPA</title><h1>SPA</h1></html>' }));
    server = await startTestServer({
      config: interactiveConfig({
        clients: [
          {
            clientId: 'spa',
            clientName: 'Single Page App',
            requireClientSecret: false,
            allowedGrantTypes: ['authorization_code', 'refresh_token'],
            allowOfflineAccess: true,
            redirectUris: [redirectUri()],
            allowedScopes: ['openid', 'profile', 'email'],
            allowedCorsOrigins: [spa.origin],
          },
        ],
      }),
    });
    browser = await launched;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.close(), spa.close(), third.close()]);
  });
  pagePerTest(() => browser, (p) => {
    page = p;
  });

  /** Signs in through the provider's pages and lands on the SPA with a code; returns what redeems it. */
  async function codeAtSpa({ signedIn = false } = {}) {
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(server.issuer, {
      client_id: 'spa', redirect_uri: redirectUri(), scope: 'openid profile offline_access', state: 's1', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256',
    }));
    if (!signedIn) await signIn(page, alice);
    await page.waitForURL(`${redirectUri()}?**`);
    const code = new URL(page.url()).searchParams.get('code');
    assert.ok(code);
    return { grant_type: 'authorization_code', code, redirect_uri: redirectUri(), client_id: 'spa', code_verifier: verifier };
  }

  const token = () => `${server.issuer}/connect/token`;

  it('the listed origin redeems the code in the page, refreshes, and calls UserInfo with a preflight', async () => {
    const redeemed = await fetchIn(page, token(), { form: await codeAtSpa() });
    assert.equal(redeemed.ok, true, String(redeemed.error));
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
    const { access_token, id_token, refresh_token } = redeemed.body!;
    assert.ok(access_token && id_token && refresh_token);

    const refreshed = await fetchIn(page, token(), { form: { grant_type: 'refresh_token', refresh_token, client_id: 'spa' } });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.ok(refreshed.body!.access_token);

    // An Authorization header is not CORS-safelisted: the browser asks first (OPTIONS), then sends.
    // Playwright does not show preflights; the provider's server sees them.
    const preflights: string[] = [];
    const record = (req: IncomingMessage) => req.method === 'OPTIONS' && preflights.push(`${req.url} from ${req.headers.origin}`);
    server.server.on('request', record);
    const info = await fetchIn(page, `${server.issuer}/connect/userinfo`, { bearer: refreshed.body!.access_token! });
    assert.equal(info.status, 200, String(info.error));
    assert.equal(info.body!.sub, alice.subjectId);
    server.server.off('request', record);
    assert.deepEqual(preflights, [`/connect/userinfo from ${spa.origin}`]);
  });

  it('a third origin, listed by no client, is refused: its fetches reject', async () => {
    const form = await codeAtSpa();
    await page.goto(`${third.origin}/`);
    const redeemed = await fetchIn(page, token(), { form });
    assert.equal(redeemed.ok, false);
    assert.match(redeemed.error!, /TypeError/);

    // The listed origin still can: refresh there, then try the refresh token and the access token from the third origin.
    const fresh = await fetchIn(page, token(), { form: await codeAtSpa({ signedIn: true }) });
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    const { refresh_token, access_token } = fresh.body!;
    assert.ok(refresh_token && access_token);
    await page.goto(`${third.origin}/`);
    const refreshed = await fetchIn(page, token(), { form: { grant_type: 'refresh_token', refresh_token, client_id: 'spa' } });
    assert.equal(refreshed.ok, false);
    const info = await fetchIn(page, `${server.issuer}/connect/userinfo`, { bearer: access_token });
    assert.equal(info.ok, false);
  });
});
