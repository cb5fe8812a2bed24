import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TestBrowser, field, submitLogin } from '../support/browser.ts';
import { alice, authorizeUrl, interactiveConfig, pkce, signedInBrowser } from '../support/interactive.ts';

const web = (extra: Record<string, string> = {}) => ({
  client_id: 'web',
  redirect_uri: 'https://app.example.com/cb',
  scope: 'openid profile',
  state: 'st-123',
  nonce: 'n-456',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
  ...extra,
});

/** The client-side view of an authorization response: the parameters of a redirect to the client. */
function response(location: string | undefined): URLSearchParams {
  assert.ok(location, 'expected a redirect to the client');
  const url = new URL(location);
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

describe('authorization endpoint', () => {
  let server: TestServer;
  let issuer: string;
  before(async () => {
    server = await startTestServer({ config: interactiveConfig() });
    issuer = server.issuer;
  });
  after(() => server.close());

  describe('a request that cannot be redirected is shown as a page, never redirected', () => {
    const cases: Record<string, Record<string, string>> = {
      'unknown client': web({ client_id: 'nobody' }),
      'no redirect_uri': (({ redirect_uri: _, ...rest }) => rest)(web()),
      'redirect_uri with a trailing slash': web({ redirect_uri: 'https://app.example.com/cb/' }),
      'redirect_uri differing in case': web({ redirect_uri: 'https://APP.example.com/cb' }),
      'redirect_uri with an extra query': web({ redirect_uri: 'https://app.example.com/cb?x=1' }),
      'redirect_uri of another client': web({ redirect_uri: 'https://second.example.com/cb' }),
      'a loopback port change for a confidential client': web({ redirect_uri: 'http://127.0.0.1:9999/callback' }),
    };
    for (const [name, params] of Object.entries(cases)) {
      it(name, async () => {
        const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, params));
        assert.equal(page.status, 400);
        assert.equal(page.location, undefined);
        assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
        assert.equal(page.headers.get('x-frame-options'), 'DENY');
      });
    }
    it('a repeated client_id or redirect_uri', async () => {
      const url = `${authorizeUrl(issuer, web())}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`;
      const page = await new TestBrowser(issuer).request(url);
      assert.equal(page.status, 400);
      assert.equal(page.location, undefined);
    });
    it('markup in a reflected parameter is escaped', async () => {
      const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, web({ client_id: '<script>alert(1)</script>' })));
      assert.equal(page.status, 400);
      assert.doesNotMatch(page.text, /<script>alert/);
    });
  });

  describe('errors after the redirect URI is known are redirected with error, state and iss', () => {
    const cases: Record<string, [Record<string, string>, string]> = {
      'response_type token (implicit)': [web({ response_type: 'token' }), 'unsupported_response_type'],
      'response_type code id_token (hybrid)': [web({ response_type: 'code id_token' }), 'unsupported_response_type'],
      'no PKCE': [web({ code_challenge: '', code_challenge_method: '' }), 'invalid_request'],
      'plain PKCE': [web({ code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }), 'invalid_request'],
      'a challenge too short': [web({ code_challenge: 'abc' }), 'invalid_request'],
      'an unknown challenge method': [web({ code_challenge_method: 'S512' }), 'invalid_request'],
      'an unknown scope': [web({ scope: 'openid nope' }), 'invalid_scope'],
      'an identity scope without openid': [web({ scope: 'profile' }), 'invalid_scope'],
      'no scope': [web({ scope: '' }), 'invalid_scope'],
      'an unknown prompt': [web({ prompt: 'maybe' }), 'invalid_request'],
      'prompt none with login': [web({ prompt: 'none login' }), 'invalid_request'],
      'a negative max_age': [web({ max_age: '-1' }), 'invalid_request'],
      'a request object': [web({ request: 'eyJhbGciOiJub25lIn0.e30.' }), 'request_not_supported'],
      'a request_uri': [web({ request_uri: 'urn:example:request' }), 'request_uri_not_supported'],
      'an id_token_hint that is not ours': [web({ id_token_hint: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }), 'invalid_request'],
      'prompt none without a session': [web({ prompt: 'none' }), 'login_required'],
    };
    for (const [name, [params, error]] of Object.entries(cases)) {
      it(name, async () => {
        const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, params));
        assert.equal(page.status, 303);
        assert.ok(page.location?.startsWith('https://app.example.com/cb?'));
        const got = response(page.location);
        assert.equal(got.get('error'), error);
        assert.equal(got.get('state'), 'st-123');
        assert.equal(got.get('iss'), issuer);
        assert.ok(got.get('error_description'));
      });
    }
    it('a repeated state: invalid_request, no state echoed', async () => {
      const page = await new TestBrowser(issuer).request(`${authorizeUrl(issuer, web())}&state=other`);
      const got = response(page.location);
      assert.equal(got.get('error'), 'invalid_request');
      assert.equal(got.get('state'), null);
    });
    it('response_mode fragment carries the error in the fragment', async () => {
      const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, web({ response_mode: 'fragment', prompt: 'none' })));
      assert.match(page.location ?? '', /^https:\/\/app\.example\.com\/cb#/);
      assert.equal(response(page.location).get('error'), 'login_required');
    });
    it('an unknown response_mode falls back to query', async () => {
      const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, web({ response_mode: 'web_message' })));
      assert.equal(response(page.location).get('error'), 'invalid_request');
    });
    it('a registered redirect URI with a query keeps it', async () => {
      const page = await new TestBrowser(issuer).request(authorizeUrl(issuer, web({ redirect_uri: 'https://app.example.com/cb?tenant=1', prompt: 'none' })));
      assert.match(page.location ?? '', /^https:\/\/app\.example\.com\/cb\?tenant=1&error=login_required/);
    });
  });

  describe('sign-in', () => {
    it('shows the login form, signs in and returns a code with state and iss', async () => {
      const browser = new TestBrowser(issuer);
      const login = await browser.navigate(authorizeUrl(issuer, web({ login_hint: 'alice' })));
      assert.equal(login.status, 200);
      assert.match(login.url, /\/account\/login\?interaction=/);
      assert.equal(field(login.text, 'username'), 'alice');
      const done = await submitLogin(browser, login, alice.username, alice.password);
      assert.equal(done.status, 303);
      const got = response(done.location);
      assert.ok(got.get('code'));
      assert.equal(got.get('state'), 'st-123');
      assert.equal(got.get('iss'), issuer);
      const session = [...browser.cookies.keys()].find((name) => name.endsWith('idproo.session'));
      assert.ok(session, 'a session cookie');
    });

    it('the session cookie is HttpOnly and SameSite=Lax, a browser-session cookie unless remembered', async () => {
      for (const remember of [false, true]) {
        const browser = new TestBrowser(issuer);
        const login = await browser.navigate(authorizeUrl(issuer, web()));
        const action = new URL('/account/login', issuer).href;
        const page = await browser.request(action, {
          form: { interaction: field(login.text, 'interaction'), csrf_token: field(login.text, 'csrf_token'), username: alice.username, password: alice.password, ...(remember ? { remember: 'on' } : {}) },
        });
        const line = page.headers.getSetCookie().find((l) => l.startsWith('idproo.session='));
        assert.ok(line);
        assert.match(line, /HttpOnly/);
        assert.match(line, /SameSite=Lax/);
        assert.equal(/Max-Age=\d+/.test(line), remember);
      }
    });

    it('a wrong password and an unknown user get the same answer', async () => {
      const browser = new TestBrowser(issuer);
      const login = await browser.navigate(authorizeUrl(issuer, web()));
      const wrong = await submitLogin(browser, login, alice.username, 'not the password');
      const unknown = await submitLogin(browser, login, 'nobody-here', 'not the password');
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      const message = (text: string) => /role="alert"[^>]*>([\s\S]*?)</.exec(text)?.[1]?.trim();
      assert.ok(message(wrong.text));
      assert.equal(message(wrong.text), message(unknown.text));
    });

    it('a form without the CSRF token, or posted cross-site, changes nothing', async () => {
      const browser = new TestBrowser(issuer);
      const login = await browser.navigate(authorizeUrl(issuer, web()));
      const action = new URL('/account/login', issuer).href;
      const interaction = field(login.text, 'interaction');
      const noToken = await browser.request(action, { form: { interaction, username: alice.username, password: alice.password } });
      assert.equal(noToken.status, 403);
      const wrongToken = await browser.request(action, { form: { interaction, csrf_token: 'x'.repeat(32), username: alice.username, password: alice.password } });
      assert.equal(wrongToken.status, 403);
      const crossSite = await browser.request(action, {
        form: { interaction, csrf_token: field(login.text, 'csrf_token'), username: alice.username, password: alice.password },
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(crossSite.status, 403);
      assert.ok(![...browser.cookies.keys()].some((name) => name.endsWith('idproo.session')));
    });

    it('an interaction from another browser, a forged id or a replayed callback shows a page, not a code', async () => {
      const browser = new TestBrowser(issuer);
      const login = await browser.navigate(authorizeUrl(issuer, web()));
      const other = new TestBrowser(issuer);
      const stolen = await other.request(login.url);
      assert.equal(stolen.status, 400);
      assert.match(stolen.headers.get('content-type') ?? '', /^text\/html/);
      const forged = await browser.request(`${issuer}/account/login?interaction=${'A'.repeat(43)}`);
      assert.equal(forged.status, 400);
      const action = new URL('/account/login', issuer).href;
      const signedIn = await browser.request(action, {
        form: { interaction: field(login.text, 'interaction'), csrf_token: field(login.text, 'csrf_token'), username: alice.username, password: alice.password },
      });
      const callback = signedIn.location!;
      const first = await browser.request(callback);
      assert.ok(response(first.location).get('code'));
      const replay = await browser.request(callback);
      assert.equal(replay.status, 400);
      assert.match(replay.text, /href="https:\/\/app\.example\.com\/"/);
    });

    it('markup in login_hint is escaped on the login page', async () => {
      const browser = new TestBrowser(issuer);
      const login = await browser.navigate(authorizeUrl(issuer, web({ login_hint: '"><script>alert(1)</script>' })));
      assert.equal(login.status, 200);
      assert.doesNotMatch(login.text, /<script>alert/);
      assert.equal(field(login.text, 'username'), '"><script>alert(1)</script>');
    });
  });

  describe('single sign-on and prompt', () => {
    const signedIn = () => signedInBrowser(issuer, authorizeUrl(issuer, web()));

    it('a second client gets a code without the login form', async () => {
      const browser = await signedIn();
      const page = await browser.navigate(authorizeUrl(issuer, { ...web(), client_id: 'second', redirect_uri: 'https://second.example.com/cb' }));
      assert.equal(page.status, 303);
      assert.ok(page.location?.startsWith('https://second.example.com/cb?code='));
    });

    it('prompt=none with a session answers a code at once', async () => {
      const browser = await signedIn();
      const page = await browser.request(authorizeUrl(issuer, web({ prompt: 'none' })));
      assert.ok(response(page.location).get('code'));
    });

    it('prompt=login and max_age=0 ask for the password again', async () => {
      const browser = await signedIn();
      for (const extra of [{ prompt: 'login' }, { max_age: '0' }, { prompt: 'select_account' }] as Record<string, string>[]) {
        const login = await browser.navigate(authorizeUrl(issuer, web(extra)));
        assert.match(login.url, /\/account\/login\?/, JSON.stringify(extra));
        const done = await submitLogin(browser, login, alice.username, alice.password);
        assert.ok(response(done.location).get('code'));
      }
    });

    it('a generous max_age needs no new sign-in', async () => {
      const browser = await signedIn();
      const page = await browser.request(authorizeUrl(issuer, web({ max_age: '3600' })));
      assert.ok(response(page.location).get('code'));
    });

    it('a new sign-in gives a new session cookie (no fixation)', async () => {
      const browser = await signedIn();
      const name = [...browser.cookies.keys()].find((n) => n.endsWith('idproo.session'))!;
      const before = browser.cookies.get(name);
      const login = await browser.navigate(authorizeUrl(issuer, web({ prompt: 'login' })));
      await submitLogin(browser, login, alice.username, alice.password);
      assert.notEqual(browser.cookies.get(name), before);
      const old = new TestBrowser(issuer);
      old.cookies.set(name, before!);
      const page = await old.request(authorizeUrl(issuer, web({ prompt: 'none' })));
      assert.equal(response(page.location).get('error'), 'login_required');
    });
  });
});

describe('the error page of a request that cannot be redirected', () => {
  it('speaks the language of ui_locales', async () => {
    const server = await startTestServer({ config: interactiveConfig() });
    try {
      const page = await new TestBrowser(server.issuer).request(authorizeUrl(server.issuer, { client_id: 'nobody', ui_locales: 'id' }));
      assert.equal(page.status, 400);
      assert.match(page.text, /<html lang="id"/);
    } finally {
      await server.close();
    }
  });
});

describe('hostile authorization requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: interactiveConfig() });
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

  it('markup in state is escaped in the form_post page', async () => {
    const page = await new TestBrowser(server.issuer).request(authorizeUrl(server.issuer, web({ response_mode: 'form_post', prompt: 'none', state: '"><script>alert(1)</script>' })));
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /<script>alert/);
    assert.equal(field(page.text, 'state'), '"><script>alert(1)</script>');
    assert.equal(field(page.text, 'error'), 'login_required');
    assert.equal(field(page.text, 'iss'), server.issuer);
  });

  it('a form_post page posts to the registered redirect URI only', async () => {
    const page = await new TestBrowser(server.issuer).request(authorizeUrl(server.issuer, web({ response_mode: 'form_post', prompt: 'none' })));
    assert.match(page.text, /<form[^>]*action="https:\/\/app\.example\.com\/cb"/);
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action[^;]*https:\/\/app\.example\.com/);
  });

  it('an oversized POST body is refused with a page, not a redirect', async () => {
    const body = new URLSearchParams({ ...web(), state: 'x'.repeat(2_000_000) }).toString();
    const response = await fetch(`${server.issuer}/connect/authorize`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    assert.equal(response.status, 413);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  });

  it('a long state (8 KB) comes back intact', async () => {
    const state = 'x'.repeat(8192);
    const page = await new TestBrowser(server.issuer).request(authorizeUrl(server.issuer, web({ prompt: 'none', state })));
    assert.equal(new URL(page.location!).searchParams.get('state'), state);
  });

  it('broken percent-encoding in the query is a page', async () => {
    const page = await new TestBrowser(server.issuer).request(`${server.issuer}/connect/authorize?client_id=web&state=%zz`);
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
  });

  it('an authorization request by POST works like GET', async () => {
    const browser = new TestBrowser(server.issuer);
    const page = await browser.request(`${server.issuer}/connect/authorize`, { form: web({ response_type: 'code', prompt: 'none', state: 'posted' }) });
    assert.equal(page.status, 303, page.text);
    const params = new URL(page.location!).searchParams;
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('state'), 'posted');
  });
});
