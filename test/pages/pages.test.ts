import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { consentPage, errorPage, formPostPage, loginPage, logoutPage, signedOutPage, type ScopeView } from '../../src/pages/index.ts';
import { context } from './fixtures.ts';

const hostile = '"><script>alert(1)</script>';
const body = (response: { body?: unknown }) => String(response.body);
const en = context('en', '/account/login?interaction=i1');
const id = context('id', '/account/login?interaction=i1');
const login = { action: '/account/login', interactionId: 'i1', csrfToken: 't1', allowRememberMe: true } as const;

describe('the login page', () => {
  it('posts username, password, interaction and csrf_token to its action, with labelled fields', () => {
    const page = body(loginPage(en, login));
    assert.match(page, /<form method="post" action="\/account\/login">/);
    assert.match(page, /<input type="hidden" name="interaction" value="i1">/);
    assert.match(page, /<input type="hidden" name="csrf_token" value="t1">/);
    assert.match(page, /<label for="username">Username<\/label>\s*<input id="username" name="username" type="text" autocomplete="username"/);
    assert.match(page, /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password" autocomplete="current-password"/);
    assert.match(page, /<input id="remember" name="remember" type="checkbox" value="true"><label for="remember">Remember me<\/label>/);
    assert.match(page, /<button type="submit" class="primary">Sign in<\/button>/);
    assert.doesNotMatch(page, /role="alert"/);
  });

  it('says the same for an unknown user and a wrong password', () => {
    const page = body(loginPage(en, { ...login, username: 'budi', error: 'invalid_credentials' }));
    assert.match(page, /<div class="alert" role="alert" id="page-error">Wrong username or password\.<\/div>/);
    assert.match(page, /name="username"[^>]*value="budi"[^>]*aria-invalid="true"/);
  });

  it('tells a throttled user how long to wait, with 429', () => {
    const response = loginPage(id, { ...login, error: 'throttled', retryAfterSeconds: 45 });
    assert.equal(response.status, 429);
    assert.match(body(response), /role="alert"[^>]*>Terlalu banyak percobaan\. Silakan coba lagi dalam 45 detik\./);
  });

  it('offers Remember me only when allowed', () => {
    assert.doesNotMatch(body(loginPage(en, { ...login, allowRememberMe: false })), /name="remember"/);
  });

  it('speaks Indonesian', () => {
    const page = body(loginPage(id, { ...login, clientName: 'Toko Buku' }));
    for (const text of ['<html lang="id">', 'Nama pengguna', 'Kata sandi', 'Ingat saya', '>Masuk</button>', 'Masuk untuk melanjutkan ke Toko Buku.']) assert.ok(page.includes(text), text);
  });

  it('escapes every value of its model', () => {
    const page = body(loginPage({ ...en, requestId: hostile, currentPath: hostile }, { ...login, action: 'javascript:alert(1)', interactionId: hostile, csrfToken: hostile, username: hostile, clientName: hostile }));
    assert.doesNotMatch(page, /<script/);
    assert.match(page, /action="about:blank"/);
  });

  it('links the language switch back to this page, and to / when the current path is not a local path', () => {
    assert.match(body(loginPage(en, login)), /href="\/account\/language\?lang=id&amp;return=%2Faccount%2Flogin%3Finteraction%3Di1"/);
    assert.match(body(loginPage({ ...en, currentPath: '//evil.example/' }, login)), /href="\/account\/language\?lang=id&amp;return=%2F"/);
  });

  it('passes the Set-Cookie lines of its context', () => {
    assert.deepEqual(loginPage({ ...en, cookies: ['a=1'] }, login).headers['set-cookie'], ['a=1']);
  });

  it('shows the host product name and logo', () => {
    const page = body(loginPage({ ...en, settings: { defaultLocale: 'en', productName: 'Toko <Buku>', logoUrl: 'https://cdn.example/logo.svg', stylesheetUrl: 'https://cdn.example/site.css' } }, login));
    assert.match(page, /<span class="product">Toko &lt;Buku&gt;<\/span>/);
    assert.match(page, /<img class="logo" src="https:\/\/cdn\.example\/logo\.svg" alt="">/);
    assert.match(page, /<link rel="stylesheet" href="\/assets\/idproo\.css">\s*<link rel="stylesheet" href="https:\/\/cdn\.example\/site\.css">/);
  });
});

describe('the consent page', () => {
  const scopes: ScopeView[] = [
    { name: 'openid', required: true, checked: false },
    { name: 'email', required: false, checked: false, description: hostile },
  ];
  const consent = { action: '/account/consent', interactionId: 'i2', csrfToken: 't2', clientName: hostile, identityScopes: scopes, apiScopes: [{ name: 'api', displayName: 'The API', required: false, checked: true }], allowRemember: true };

  it('shows a required scope ticked and disabled, and sends it in a hidden input', () => {
    const page = body(consentPage(en, consent));
    assert.match(page, /<input type="checkbox" id="identity-scope-0" name="scope" value="openid" checked disabled>/);
    assert.match(page, /<input type="hidden" name="scope" value="openid">/);
    assert.match(page, /<input type="checkbox" id="identity-scope-1" name="scope" value="email" aria-describedby="identity-scope-1-hint">/);
    assert.match(page, /<input type="checkbox" id="api-scope-0" name="scope" value="api" checked>\s*<label for="api-scope-0">The API<\/label>/);
  });

  it('offers allow and deny as the decision, and Remember my decision only when allowed', () => {
    const page = body(consentPage(en, consent));
    assert.match(page, /<button type="submit" name="decision" value="allow" class="primary">Allow<\/button>/);
    assert.match(page, /<button type="submit" name="decision" value="deny" class="secondary">Deny<\/button>/);
    assert.match(page, /name="remember"[^>]*><label for="remember">Remember my decision</);
    assert.doesNotMatch(body(consentPage(en, { ...consent, allowRemember: false })), /name="remember"/);
    assert.match(body(consentPage(id, consent)), />Izinkan<\/button>[\s\S]*>Tolak<\/button>/);
  });

  it('escapes the client name and scope texts, and refuses a script URL as the client URI or logo', () => {
    const page = body(consentPage(en, { ...consent, clientUri: 'javascript:alert(1)', logoUri: 'data:image/svg+xml,<svg onload=alert(1)>' }));
    assert.doesNotMatch(page, /<script|<svg/);
    assert.match(page, /<a href="#"/);
    assert.match(page, /src="about:blank"/);
  });

  it("allows the client's logo origin in img-src", () => {
    const csp = consentPage(en, { ...consent, logoUri: 'https://books.example/logo.png' }).headers['content-security-policy'] as string;
    assert.match(csp, /img-src 'self' data: https:\/\/books\.example;/);
  });
});

describe('the logout and signed-out pages', () => {
  it('asks before signing out, posting logout_id and csrf_token', () => {
    const page = body(logoutPage(en, { action: '/account/logout', csrfToken: 't3', logoutId: 'l1' }));
    assert.match(page, /Do you want to sign out\?/);
    assert.match(page, /<input type="hidden" name="logout_id" value="l1">/);
    assert.match(page, /<input type="hidden" name="csrf_token" value="t3">/);
    assert.match(page, /<button type="submit" class="primary">Sign out<\/button>/);
    assert.match(body(logoutPage(id, { action: '/account/logout', csrfToken: 't3', logoutId: 'l1' })), /Apakah Anda ingin keluar\?[\s\S]*>Keluar<\/button>/);
  });

  it('confirms the sign-out and links back to the application when given one', () => {
    const page = body(signedOutPage(en, { postLogoutRedirectUri: 'https://books.example/bye?state=s', clientName: 'Toko Buku' }));
    assert.match(page, /<h1>You are signed out<\/h1>/);
    assert.match(page, /<a class="button" href="https:\/\/books\.example\/bye\?state=s">Return to Toko Buku<\/a>/);
    assert.doesNotMatch(body(signedOutPage(en, {})), /class="button"/);
  });
});

describe('the error page', () => {
  it('explains a known error, shows the code, the description and the request id', () => {
    const response = errorPage(en, { status: 400, error: 'invalid_request', description: 'redirect_uri mismatch' });
    assert.equal(response.status, 400);
    const page = body(response);
    assert.match(page, /role="alert"[^>]*>The application sent a request that could not be processed\./);
    assert.match(page, /Error code: <code>invalid_request<\/code>/);
    assert.match(page, /<p>redirect_uri mismatch<\/p>/);
    assert.match(page, /Request ID: <code>req-7f3a9c<\/code>/);
  });

  it('falls back to a general message for an unknown code, including inherited property names', () => {
    for (const error of ['no_such_error', 'constructor', '__proto__', 'toString']) {
      assert.match(body(errorPage(id, { status: 500, error })), /role="alert"[^>]*>Permintaan tidak dapat diselesaikan\./, error);
    }
  });

  it('explains expired and replayed interactions', () => {
    assert.match(body(errorPage(en, { status: 400, error: 'interaction_expired' })), /took too long/);
    assert.match(body(errorPage(id, { status: 400, error: 'interaction_replayed' })), /sudah selesai/);
  });

  it('links back to the client with the given label', () => {
    const page = body(errorPage(en, { status: 400, error: 'access_denied', returnUri: 'https://books.example/', returnLabel: 'Back to Toko Buku' }));
    assert.match(page, /<a class="button" href="https:\/\/books\.example\/">Back to Toko Buku<\/a>/);
  });

  it('escapes the code and description', () => {
    assert.doesNotMatch(body(errorPage(en, { status: 400, error: hostile, description: hostile })), /<script/);
  });
});

describe('the form post page', () => {
  const response = formPostPage(en, { action: 'https://client.example/cb', fields: { code: 'c"1', state: hostile } });
  const page = body(response);

  it('posts every field to the redirect_uri, escaped', () => {
    assert.match(page, /<form method="post" action="https:\/\/client\.example\/cb">/);
    assert.match(page, /<input type="hidden" name="code" value="c&quot;1">/);
    assert.match(page, /<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;">/);
    assert.match(page, /<button type="submit" class="primary">Continue<\/button>/);
  });

  it('runs one script, the one its CSP hash names', () => {
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    assert.match(response.headers['content-security-policy'] as string, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    assert.match(response.headers['content-security-policy'] as string, /form-action 'self' https:\/\/client\.example;/);
  });

  it('has no language switch, which would load the page and its code again', () => {
    assert.doesNotMatch(page, /\/account\/language/);
  });
});
