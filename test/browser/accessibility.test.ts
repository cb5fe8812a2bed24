import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { alice, interactiveConfig } from '../support/interactive.ts';
import { axeViolations, launch, newContext, noChromium, RelyingParty, signIn } from './harness.ts';

const labels = {
  en: { username: 'Username', password: 'Password', submit: 'Sign in', allow: 'Allow', signOut: 'Sign out' },
  id: { username: 'Nama pengguna', password: 'Kata sandi', submit: 'Masuk', allow: 'Izinkan', signOut: 'Keluar' },
} as const;

/**
 * axe-core on every page a user meets in a live flow, as the provider serves it, in both languages
 * (chosen by the browser's Accept-Language). The pages allow no script of ours, so these contexts
 * bypass the CSP; the other browser tests check the CSP with it in force.
 */
describe('the live pages pass axe-core in Chromium', { skip: noChromium }, () => {
  const rp = new RelyingParty('Asking App');
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    const launched = launch();
    await rp.listen();
    server = await startTestServer({
      config: interactiveConfig({
        clients: [
          {
            clientId: 'asks',
            clientName: 'Asking App',
            clientSecrets: ['asks-secret-that-is-long'],
            requireConsent: true,
            allowedGrantTypes: ['authorization_code'],
            redirectUris: [rp.redirectUri],
            postLogoutRedirectUris: [rp.postLogoutRedirectUri],
            allowedScopes: ['openid', 'profile', 'email', 'invoices.read'],
          },
        ],
      }),
    });
    await rp.connect(server.issuer, 'asks', 'asks-secret-that-is-long');
    browser = await launched;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.close(), rp.close()]);
  });

  for (const locale of ['en', 'id'] as const) {
    it(`${locale}: login, login with an error, consent, sign-out confirmation, signed out, and the error page`, async () => {
      const context = await newContext(browser, { bypassCSP: true, locale: locale === 'id' ? 'id-ID' : 'en-US' });
      const l = labels[locale];
      const found: Record<string, string[]> = {};
      const check = async (name: string, page: Page) => {
        assert.equal(await page.getAttribute('html', 'lang'), locale, `${name} is in ${locale}`);
        const violations = await axeViolations(page);
        if (violations.length > 0) found[name] = violations;
      };
      try {
        const page = await context.newPage();
        await page.goto(rp.loginUrl({ scope: 'openid profile email invoices.read' }));
        await page.waitForURL(`${server.issuer}/account/login?**`);
        await check('login', page);

        await signIn(page, { username: alice.username, password: 'wrong' }, l);
        await page.getByRole('alert').waitFor();
        await check('login with an error', page);

        await signIn(page, alice, l);
        await page.waitForURL(`${server.issuer}/account/consent?**`);
        await check('consent', page);
        await page.getByRole('button', { name: l.allow }).click();
        await page.waitForURL(`${rp.redirectUri}?**`);

        await page.goto(`${server.issuer}/connect/endsession`);
        await page.waitForURL(`${server.issuer}/account/logout?**`);
        await check('sign-out confirmation', page);
        await page.getByRole('button', { name: l.signOut }).click();
        await page.waitForURL(`${server.issuer}/account/logout`);
        await check('signed out', page);

        const error = await page.goto(`${server.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'no-such-client', redirect_uri: rp.redirectUri, response_type: 'code', scope: 'openid' })}`);
        assert.equal(error?.status(), 400);
        await check('error (unknown client)', page);
        assert.deepEqual(found, {});
      } finally {
        await context.close();
      }
    });
  }
});
