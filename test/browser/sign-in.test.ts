import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { alice, interactiveConfig } from '../support/interactive.ts';
import { launch, pagePerTest, noChromium, RelyingParty, signIn } from './harness.ts';

/**
 * Real Chromium, a real provider and two relying-party web apps (openid-client) on their own ports:
 * sign-in with code + PKCE, SSO, re-authentication, form_post and RP-initiated logout, with no CSP
 * violation on any page along the way.
 */
describe('sign-in in Chromium', { skip: noChromium }, () => {
  const web = new RelyingParty('Web App');
  const second = new RelyingParty('Second App');
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    // The RPs listen first: their ports go into the redirect URIs the provider registers.
    const launched = launch();
    await Promise.all([web.listen(), second.listen()]);
    server = await startTestServer({
      config: interactiveConfig({
        clients: [
          {
            clientId: 'web',
            clientName: 'Web App',
            clientSecrets: ['web-secret-that-is-long'],
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [web.redirectUri],
            postLogoutRedirectUris: [web.postLogoutRedirectUri],
            allowedScopes: ['openid', 'profile', 'email'],
          },
          {
            clientId: 'second',
            clientName: 'Second App',
            clientSecrets: ['second-secret-that-is-long'],
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [second.redirectUri],
            postLogoutRedirectUris: [second.postLogoutRedirectUri],
            allowedScopes: ['openid', 'profile', 'email'],
          },
        ],
      }),
    });
    await Promise.all([web.connect(server.issuer, 'web', 'web-secret-that-is-long'), second.connect(server.issuer, 'second', 'second-secret-that-is-long')]);
    browser = await launched;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.close(), web.close(), second.close()]);
  });
  pagePerTest(() => browser, (p, c) => {
    page = p;
    context = c;
  });

  const onLoginPage = async () => {
    await page.waitForURL(`${server.issuer}/account/login?**`);
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  };

  /** Signs alice in at `rp` from the start and checks what the RP shows. */
  async function signInAt(rp: RelyingParty, params: Record<string, string> = {}) {
    await page.goto(rp.loginUrl(params));
    await onLoginPage();
    await signIn(page, alice);
    await page.waitForURL(`${rp.redirectUri}**`);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
  }

  it('code + PKCE: typed into the labelled inputs, the RP shows the ID token sub and the UserInfo claims', async () => {
    await signInAt(web);
    assert.equal(await page.locator('[data-claim="sub"]').textContent(), alice.subjectId);
    assert.equal(await page.locator('[data-claim="name"]').textContent(), 'Alice Example');
    assert.equal(await page.locator('[data-claim="email"]').textContent(), 'alice@example.com');
    const callback = web.callbacks.at(-1)!;
    assert.equal(callback.method, 'GET');
    assert.equal(callback.params.iss, server.issuer);
    // The sign-in cookies are the provider's, HttpOnly and Lax; nothing is left for scripts to read.
    const cookies = await context.cookies(server.issuer);
    assert.ok(cookies.length > 0);
    for (const cookie of cookies) assert.ok(cookie.httpOnly && cookie.sameSite === 'Lax', `${cookie.name} is HttpOnly and Lax`);
  });

  it('a wrong password shows the alert and stays on the sign-in page, which then still works', async () => {
    await page.goto(web.loginUrl());
    await onLoginPage();
    const url = page.url();
    const callbacks = web.callbacks.length;
    await signIn(page, { username: alice.username, password: 'not the password' });
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').textContent(), 'Wrong username or password.');
    assert.equal(new URL(page.url()).pathname, '/account/login');
    assert.equal(await page.getByLabel('Username').inputValue(), alice.username, 'the username is kept');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not');
    assert.equal(web.callbacks.length, callbacks, 'nothing reached the RP');
    await signIn(page, alice);
    await page.waitForURL(`${web.redirectUri}?**`);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
    assert.notEqual(page.url(), url);
  });

  it('SSO: a second RP in the same browser is signed in without the form', async () => {
    await signInAt(web);
    const seen: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && seen.push(frame.url()));
    await page.goto(second.loginUrl());
    await page.waitForURL(`${second.redirectUri}?**`);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
    assert.equal(await page.locator('[data-claim="name"]').textContent(), 'Alice Example');
    assert.ok(!seen.some((url) => url.includes('/account/login')), seen.join('\n'));
  });

  for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
    it(`${new URLSearchParams(params)} shows the sign-in form again to a signed-in user`, async () => {
      await signInAt(web);
      await signInAt(second, params);
    });
  }

  it('response_mode=form_post: the auto-submitting form posts the code to the RP', async () => {
    await signInAt(web, { response_mode: 'form_post' });
    const callback = web.callbacks.at(-1)!;
    assert.equal(callback.method, 'POST');
    assert.ok(callback.params.code);
    assert.equal(callback.params.iss, server.issuer);
    // Signed in already: the next form_post comes straight from the authorization request.
    await page.goto(second.loginUrl({ response_mode: 'form_post' }));
    await page.waitForURL(second.redirectUri);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
    assert.equal(second.callbacks.at(-1)!.method, 'POST');
  });

  it('RP-initiated logout with id_token_hint returns to the RP; the next sign-in shows the form', async () => {
    await signInAt(web);
    await page.goto(`${web.origin}/logout`);
    await page.waitForURL(`${web.postLogoutRedirectUri}?**`);
    assert.equal(await page.locator('#state').textContent(), 'bye');
    // The session is gone for every client: the second RP asks for a sign-in too.
    await signInAt(second);
  });

  it('logout without a hint asks on the confirmation page; Sign out returns to the RP', async () => {
    await signInAt(web);
    await page.goto(`${web.origin}/logout?hint=no`);
    await page.waitForURL(`${server.issuer}/account/logout?**`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.postLogoutRedirectUri}?**`);
    assert.equal(await page.locator('#state').textContent(), 'bye');
    await signInAt(web);
  });

  it('logout without a hint or a return URI ends on the signed-out page', async () => {
    await signInAt(web);
    await page.goto(`${server.issuer}/connect/endsession`);
    await page.waitForURL(`${server.issuer}/account/logout?**`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).origin, server.issuer);
    await page.goto(second.loginUrl());
    await onLoginPage();
  });
});
