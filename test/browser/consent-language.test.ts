import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { alice, interactiveConfig } from '../support/interactive.ts';
import { launch, newContext, pagePerTest, noChromium, RelyingParty, signIn, watchCsp } from './harness.ts';

const indonesian = { username: 'Nama pengguna', password: 'Kata sandi', submit: 'Masuk' };

/** Consent (Allow, Allow and remember, Deny) and the two languages, in Chromium against a relying-party app. */
describe('consent and languages in Chromium', { skip: noChromium }, () => {
  const asks = new RelyingParty('Asking App');
  const web = new RelyingParty('Web App');
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const launched = launch();
    await Promise.all([asks.listen(), web.listen()]);
    server = await startTestServer({
      config: interactiveConfig({
        clients: [
          {
            clientId: 'asks',
            clientName: 'Asking App',
            clientSecrets: ['asks-secret-that-is-long'],
            requireConsent: true,
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [asks.redirectUri],
            allowedScopes: ['openid', 'profile', 'email', 'invoices.read'],
          },
          {
            clientId: 'web',
            clientName: 'Web App',
            clientSecrets: ['web-secret-that-is-long'],
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [web.redirectUri],
            allowedScopes: ['openid', 'profile', 'email'],
          },
        ],
      }),
    });
    await Promise.all([asks.connect(server.issuer, 'asks', 'asks-secret-that-is-long'), web.connect(server.issuer, 'web', 'web-secret-that-is-long')]);
    browser = await launched;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.close(), asks.close(), web.close()]);
  });
  pagePerTest(() => browser, (p) => {
    page = p;
  });

  async function toConsent(params: Record<string, string> = {}) {
    await page.goto(asks.loginUrl(params));
    await page.waitForURL(`${server.issuer}/account/login?**`);
    await signIn(page, alice);
    await page.waitForURL(`${server.issuer}/account/consent?**`);
  }

  const signedInAtAsks = async () => {
    await page.waitForURL(`${asks.redirectUri}?**`);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
  };

  it('Allow without remembering: the RP is signed in, and the next sign-in asks again', async () => {
    await toConsent();
    assert.ok(await page.getByText('Asking App').first().isVisible());
    await page.getByRole('button', { name: 'Allow' }).click();
    await signedInAtAsks();
    await page.goto(asks.loginUrl());
    await page.waitForURL(`${server.issuer}/account/consent?**`);
    assert.equal(await page.getByLabel('Remember my decision').isChecked(), false);
  });

  it('Allow with "Remember my decision": the next sign-in skips the consent page', async () => {
    // Fewer scopes than the other tests ask for, which therefore still see the consent page.
    await toConsent({ scope: 'openid profile' });
    await page.getByLabel('Remember my decision').check();
    await page.getByRole('button', { name: 'Allow' }).click();
    await signedInAtAsks();
    const seen: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && seen.push(frame.url()));
    await page.goto(asks.loginUrl({ scope: 'openid profile' }));
    await signedInAtAsks();
    assert.ok(!seen.some((url) => url.includes('/account/')), seen.join('\n'));
  });

  it('Deny: the RP gets access_denied', async () => {
    await toConsent();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${asks.redirectUri}?**`);
    assert.equal(await page.locator('#error').textContent(), 'access_denied');
    assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
  });

  it('ui_locales=id: the pages are Indonesian and the flow completes, through the consent page', async () => {
    await page.goto(asks.loginUrl({ ui_locales: 'id' }));
    await page.waitForURL(`${server.issuer}/account/login?**`);
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await signIn(page, alice, indonesian);
    await page.waitForURL(`${server.issuer}/account/consent?**`);
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.ok(await page.getByLabel('Ingat keputusan saya').isVisible());
    await page.getByRole('button', { name: 'Izinkan' }).click();
    await signedInAtAsks();
  });

  it('ui_locales=id: a wrong password is told in Indonesian', async () => {
    await page.goto(web.loginUrl({ ui_locales: 'id' }));
    await signIn(page, { username: alice.username, password: 'salah' }, indonesian);
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').textContent(), 'Nama pengguna atau kata sandi salah.');
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await signIn(page, alice, indonesian);
    await page.waitForURL(`${web.redirectUri}?**`);
  });

  it('the language switch switches the page and returns to it; the sign-in then completes in that language', async () => {
    await page.goto(web.loginUrl());
    await page.waitForURL(`${server.issuer}/account/login?**`);
    const loginUrl = page.url();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
    await page.waitForURL(loginUrl);
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.equal(await page.getByLabel('Nama pengguna').count(), 1);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(loginUrl);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
    await page.waitForURL(loginUrl);
    await signIn(page, alice, indonesian);
    await page.waitForURL(`${web.redirectUri}?**`);
    assert.equal(await page.locator('#sub').textContent(), alice.subjectId);
    // The choice is remembered for the next page without ui_locales: the sign-out confirmation.
    await page.goto(`${server.issuer}/connect/endsession`);
    await page.waitForURL(`${server.issuer}/account/logout?**`);
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForLoadState();
  });

  // negotiateLocale ranks ui_locales above the language cookie (docs/configuration.md, pages), so on a
  // page whose request said ui_locales=id the switch sets the cookie and comes back to the same
  // Indonesian page: the user cannot change the language there.
  it('ui_locales=id, then the switch to English: the page turns English', async () => {
    await page.goto(web.loginUrl({ ui_locales: 'id' }));
    await page.waitForURL(`${server.issuer}/account/login?**`);
    const loginUrl = page.url();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(loginUrl);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  });

  it('Accept-Language id picks Indonesian without ui_locales', async () => {
    const indonesianBrowser = await newContext(browser, { locale: 'id-ID' });
    try {
      const seen = watchCsp(indonesianBrowser);
      const tab = await indonesianBrowser.newPage();
      await tab.goto(web.loginUrl());
      await tab.waitForURL(`${server.issuer}/account/login?**`);
      assert.equal(await tab.getAttribute('html', 'lang'), 'id');
      await signIn(tab, alice, indonesian);
      await tab.waitForURL(`${web.redirectUri}?**`);
      assert.deepEqual(seen, []);
    } finally {
      await indonesianBrowser.close();
    }
  });
});
