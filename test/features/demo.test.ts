import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { answerClientError, createIdProo, type IdProo, type IdProoConfigInput } from '../../src/index.ts';
import { field, submitLogin, TestBrowser } from '../support/browser.ts';
import { demoConfigAt, demoFile, demoScopes, link, shownJson, signInThroughDemo } from '../support/demo.ts';

interface Running {
  readonly issuer: string;
  readonly idproo: IdProo;
  close(): Promise<void>;
}

/** A provider on a free port; the configuration is made once the issuer (the port) is known. */
async function serve(config: (issuer: string) => IdProoConfigInput, host = 'localhost'): Promise<Running> {
  let handler: IdProo['handler'] | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const idproo = await createIdProo({ config: config(issuer), issuer });
  handler = idproo.handler;
  return {
    issuer,
    idproo,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await idproo.close();
    },
  };
}

describe('the demo relying party (demoRelyingParty in demo/idproo.json)', () => {
  let running: Running;
  before(async () => {
    running = await serve(demoConfigAt);
  });
  after(() => running.close());

  it('runs a whole sign-in from /demo/login and ends on the ID token claims and the userinfo response', async () => {
    const { issuer } = running;
    const browser = new TestBrowser(issuer);
    const home = await browser.request(`${issuer}/demo`);
    assert.equal(home.status, 200);
    assert.equal(link(home, 'Sign in'), `${issuer}/demo/login`);
    assert.match(home.text, /Demo user: <strong>alice<\/strong>, password <strong>alice<\/strong>/);

    const claimsPage = await signInThroughDemo(browser, `${issuer}/demo/login`);
    assert.equal(claimsPage.status, 200);
    assert.match(claimsPage.url, /\/demo\/callback\?/);
    assert.match(claimsPage.text, /Signed in as <strong>Alice Smith<\/strong>/);
    const claims = shownJson(claimsPage, 'ID token claims');
    assert.equal(claims.sub, '1');
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, 'demo-app');
    assert.equal(typeof claims.nonce, 'string');
    const userinfo = shownJson(claimsPage, 'Userinfo response');
    assert.equal(userinfo.sub, '1');
    assert.equal(userinfo.name, 'Alice Smith');
    assert.equal(userinfo.email, 'alice@example.com');
    assert.equal(userinfo.email_verified, true);
    // The page is one of the provider's: its headers, and the pending sign-in is gone from the browser.
    assert.match(claimsPage.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(claimsPage.headers.get('cache-control'), 'no-store');
    assert.equal(claimsPage.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(browser.cookies.has('idproo.demo'), false);
    assert.equal(link(claimsPage, 'Sign in again'), `${issuer}/demo/login`);

    // A reload of the callback finds no sign-in in progress: the code is not redeemed twice.
    const reload = await browser.request(claimsPage.url);
    assert.equal(reload.status, 400);
    assert.match(reload.text, /no sign-in in progress/);

    // Sign out: RP-Initiated Logout with the ID token as hint ends the session and comes back to /demo.
    const signOut = new URL(link(claimsPage, 'Sign out'));
    assert.equal(signOut.origin + signOut.pathname, `${issuer}/connect/endsession`);
    assert.equal(signOut.searchParams.get('post_logout_redirect_uri'), `${issuer}/demo`);
    assert.ok(signOut.searchParams.get('id_token_hint'));
    const back = await browser.navigate(signOut.href);
    assert.equal(back.status, 200);
    assert.equal(back.url, `${issuer}/demo?state=signed-out`);
    assert.match(back.text, /You are signed out/);
    const again = await browser.navigate(`${issuer}/demo/login`);
    assert.match(again.url, /\/account\/login\?interaction=/, 'signed out: the next sign-in asks for the password');
  });

  it('shows a denied consent as a failed sign-in, not a crash', async () => {
    const { issuer } = running;
    const browser = new TestBrowser(issuer);
    const login = await browser.navigate(`${issuer}/demo/login`);
    const consent = await submitLogin(browser, login, 'alice', 'alice');
    const denied = await browser.navigate(new URL('/account/consent', consent.url).href, {
      form: { interaction: field(consent.text, 'interaction'), csrf_token: field(consent.text, 'csrf_token'), decision: 'deny' },
    });
    assert.equal(denied.status, 400);
    assert.match(denied.text, /Sign-in failed/);
    assert.match(denied.text, /The request was denied/);
  });

  it('refuses a response that does not carry the state of this browser\'s sign-in, or comes from another issuer', async () => {
    const { issuer } = running;
    const browser = new TestBrowser(issuer);
    const started = await browser.request(`${issuer}/demo/login`);
    assert.equal(started.status, 303);
    const cookie = started.headers.getSetCookie().find((line) => line.startsWith('idproo.demo='));
    assert.ok(cookie);
    assert.match(cookie, /; Path=\/demo; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const request = new URL(started.location!).searchParams;
    assert.equal(request.get('redirect_uri'), `${issuer}/demo/callback`);
    assert.equal(request.get('code_challenge_method'), 'S256');
    assert.equal(request.get('scope'), demoScopes.join(' '));
    assert.ok(request.get('nonce'));

    const forged = await browser.request(`${issuer}/demo/callback?${new URLSearchParams({ code: 'stolen', state: 'someone-else', iss: issuer })}`);
    assert.equal(forged.status, 400);
    assert.match(forged.text, /does not carry the state/);

    const state = new URL((await browser.request(`${issuer}/demo/login`)).location!).searchParams.get('state')!;
    const mixedUp = await browser.request(`${issuer}/demo/callback?${new URLSearchParams({ code: 'x', state, iss: 'https://evil.example' })}`);
    assert.equal(mixedUp.status, 400);
    assert.match(mixedUp.text, /does not come from the issuer/);
  });

  // Last on this server: alice's consent is remembered from here on.
  it('signs in again without the password while the session lasts, and in Indonesian on request', async () => {
    const { issuer } = running;
    const browser = new TestBrowser(issuer);
    await signInThroughDemo(browser, `${issuer}/demo/login`, { remember: 'true' });
    const again = await browser.navigate(`${issuer}/demo/login`);
    assert.equal(again.status, 200);
    assert.match(again.url, /\/demo\/callback\?/, 'single sign-on and remembered consent: no page in between');
    assert.equal(shownJson(again, 'ID token claims').sub, '1');

    const other = new TestBrowser(issuer);
    const home = await other.request(`${issuer}/demo`);
    const login = await other.navigate(link(home, 'Sign in (Bahasa Indonesia)'));
    assert.match(login.url, /\/account\/login\?interaction=/);
    assert.match(login.text, /<html lang="id">/);
  });

  it('escapes the claims it shows', async () => {
    const hostile = await serve((issuer) => {
      const config = demoConfigAt(issuer);
      const user = config.users![0]!;
      return { ...config, users: [{ ...user, claims: { ...user.claims, name: '<img src=x onerror=alert(1)>' } }] };
    });
    try {
      const page = await signInThroughDemo(new TestBrowser(hostile.issuer), `${hostile.issuer}/demo/login`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /<img src=x/);
      assert.match(page.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.equal(shownJson(page, 'Userinfo response').name, '<img src=x onerror=alert(1)>');
    } finally {
      await hostile.close();
    }
  });
});

describe('the demo relying party at another issuer than its client was registered for', () => {
  let running: Running;
  before(async () => {
    // demo/idproo.json as is: its client expects http://localhost:5000.
    running = await serve(() => JSON.parse(readFileSync(demoFile, 'utf8')) as IdProoConfigInput, '127.0.0.1');
  });
  after(() => running.close());

  it('says so on /demo, and /demo/login starts no sign-in that would be refused', async () => {
    const { issuer } = running;
    const page = await new TestBrowser(issuer).request(`${issuer}/demo`);
    assert.equal(page.status, 200);
    assert.match(page.text, /role="alert"[^>]*>The demo client does not match this server/);
    assert.ok(page.text.includes(`registered for http://localhost:5000/demo/callback, but this server&#39;s issuer is ${issuer}`), page.text);
    const login = await new TestBrowser(issuer).request(`${issuer}/demo/login`);
    assert.equal(login.status, 303);
    assert.equal(login.location, `${issuer}/demo`);
  });
});

describe('without demoRelyingParty', () => {
  let running: Running;
  before(async () => {
    running = await serve((issuer) => {
      const { demoRelyingParty: _omitted, ...config } = demoConfigAt(issuer);
      return config;
    });
  });
  after(() => running.close());

  it('there are no /demo routes', async () => {
    for (const path of ['/demo', '/demo/login', '/demo/callback', '/demo/demo.css']) {
      const response = await fetch(`${running.issuer}${path}`);
      await response.body?.cancel();
      assert.equal(response.status, 404, path);
    }
  });
});
