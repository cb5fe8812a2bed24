import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TestBrowser, field, submitLogin, type Page } from '../support/browser.ts';
import { alice, authorizeUrl, interactiveConfig, pkce, signedInBrowser } from '../support/interactive.ts';

const spa = (extra: Record<string, string> = {}) => ({
  client_id: 'spa',
  redirect_uri: 'https://spa.example.com/cb',
  scope: 'openid profile email invoices.read',
  state: 'spa-state',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
  ...extra,
});

const params = (location: string | undefined) => new URL(location!).searchParams;

async function decide(browser: TestBrowser, consent: Page, decision: 'allow' | 'deny', form: Record<string, string | string[]> = {}): Promise<Page> {
  return browser.navigate(new URL('/account/consent', consent.url).href, {
    form: { interaction: field(consent.text, 'interaction'), csrf_token: field(consent.text, 'csrf_token'), decision, ...form },
  });
}

describe('consent', () => {
  let server: TestServer;
  let issuer: string;
  before(async () => {
    server = await startTestServer({ config: interactiveConfig() });
    issuer = server.issuer;
  });
  after(() => server.close());

  async function toConsent(browser: TestBrowser, extra: Record<string, string> = {}): Promise<Page> {
    const login = await browser.navigate(authorizeUrl(issuer, spa(extra)));
    const consent = await submitLogin(browser, login, alice.username, alice.password);
    assert.equal(consent.status, 200);
    assert.match(consent.url, /\/account\/consent\?interaction=/);
    return consent;
  }

  it('lists the scopes by display name, and openid cannot be unticked', async () => {
    const consent = await toConsent(new TestBrowser(issuer));
    assert.match(consent.text, /Read your invoices/);
    assert.match(consent.text, /Single Page App/);
    assert.match(consent.text, /<input[^>]*type="hidden"[^>]*name="scope"[^>]*value="openid"|<input[^>]*name="scope"[^>]*type="hidden"[^>]*value="openid"/);
  });

  it('Deny returns access_denied to the client', async () => {
    const browser = new TestBrowser(issuer);
    const denied = await decide(browser, await toConsent(browser), 'deny');
    const got = params(denied.location);
    assert.equal(got.get('error'), 'access_denied');
    assert.equal(got.get('state'), 'spa-state');
    assert.equal(got.get('iss'), issuer);
  });

  it('Allow with remember: asked again only for scopes not yet granted, and prompt=consent asks anyway', async () => {
    const browser = new TestBrowser(issuer);
    const allowed = await decide(browser, await toConsent(browser, { scope: 'openid profile' }), 'allow', { scope: ['openid', 'profile'], remember: 'on' });
    assert.ok(params(allowed.location).get('code'));
    const again = await browser.request(authorizeUrl(issuer, spa({ scope: 'openid profile' })));
    assert.ok(params(again.location).get('code'), 'remembered: no consent page');
    const wider = await browser.navigate(authorizeUrl(issuer, spa({ scope: 'openid profile email' })));
    assert.match(wider.url, /\/account\/consent/);
    const forced = await browser.navigate(authorizeUrl(issuer, spa({ scope: 'openid profile', prompt: 'consent' })));
    assert.match(forced.url, /\/account\/consent/);
    const silent = await browser.request(authorizeUrl(issuer, spa({ scope: 'openid profile email', prompt: 'none' })));
    assert.equal(params(silent.location).get('error'), 'consent_required');
  });

  it('a consent post without the CSRF token is refused', async () => {
    const browser = new TestBrowser(issuer);
    const consent = await toConsent(browser);
    const page = await browser.request(new URL('/account/consent', consent.url).href, { form: { interaction: field(consent.text, 'interaction'), decision: 'allow' } });
    assert.equal(page.status, 403);
  });
});

describe('RP-initiated logout', () => {
  let server: TestServer;
  let issuer: string;
  before(async () => {
    server = await startTestServer({ config: interactiveConfig() });
    issuer = server.issuer;
  });
  after(() => server.close());

  const web = (extra: Record<string, string> = {}) => ({
    client_id: 'web',
    redirect_uri: 'https://app.example.com/cb',
    scope: 'openid',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...extra,
  });

  const signedIn = () => signedInBrowser(issuer, authorizeUrl(issuer, web()));

  it('without a hint asks for confirmation, then signs out and redirects with state', async () => {
    const browser = await signedIn();
    const query = new URLSearchParams({ client_id: 'web', post_logout_redirect_uri: 'https://app.example.com/signed-out', state: 'bye' });
    const confirm = await browser.navigate(`${issuer}/connect/endsession?${query}`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /<button[^>]*>[^<]*Sign out/);
    const done = await browser.request(`${issuer}/account/logout`, { form: { logout_id: field(confirm.text, 'logout_id'), csrf_token: field(confirm.text, 'csrf_token') } });
    assert.equal(done.status, 303);
    assert.equal(done.location, 'https://app.example.com/signed-out?state=bye');
    const after = await browser.request(authorizeUrl(issuer, web({ prompt: 'none', redirect_uri: 'https://app.example.com/cb' })));
    assert.equal(params(after.location).get('error'), 'login_required');
  });

  it('without a post_logout_redirect_uri ends on the signed-out page', async () => {
    const browser = await signedIn();
    const confirm = await browser.navigate(`${issuer}/connect/endsession`);
    const done = await browser.request(`${issuer}/account/logout`, { form: { logout_id: field(confirm.text, 'logout_id'), csrf_token: field(confirm.text, 'csrf_token') } });
    assert.equal(done.status, 200);
    assert.ok(done.headers.getSetCookie().some((line) => /idproo\.session=;.*Max-Age=0/.test(line)));
  });

  it('the confirmation cannot be posted without its CSRF token', async () => {
    const browser = await signedIn();
    const confirm = await browser.navigate(`${issuer}/connect/endsession`);
    const page = await browser.request(`${issuer}/account/logout`, { form: { logout_id: field(confirm.text, 'logout_id') } });
    assert.equal(page.status, 403);
    const still = await browser.request(authorizeUrl(issuer, web({ prompt: 'none' })));
    assert.ok(params(still.location).get('code'), 'still signed in');
  });

  const refused: Record<string, Record<string, string>> = {
    'an unregistered post_logout_redirect_uri': { client_id: 'web', post_logout_redirect_uri: 'https://evil.example/' },
    'a post_logout_redirect_uri differing by a slash': { client_id: 'web', post_logout_redirect_uri: 'https://app.example.com/signed-out/' },
    'a post_logout_redirect_uri without a client': { post_logout_redirect_uri: 'https://app.example.com/signed-out' },
    'an unknown client': { client_id: 'nobody' },
    'an id_token_hint that is not ours': { id_token_hint: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
    'a repeated parameter': {},
  };
  for (const [name, query] of Object.entries(refused)) {
    it(`${name} is shown as an error page, never followed`, async () => {
      const browser = await signedIn();
      const qs = name === 'a repeated parameter' ? 'state=a&state=b' : new URLSearchParams(query).toString();
      const page = await browser.request(`${issuer}/connect/endsession?${qs}`);
      assert.equal(page.status, 400);
      assert.equal(page.location, undefined);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    });
  }
});
