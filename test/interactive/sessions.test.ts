import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqliteStores } from '../../src/stores/index.ts';
import { startTestServer } from '../support/server.ts';
import { TestBrowser, field, submitLogin } from '../support/browser.ts';
import { alice, authorizeUrl, interactiveConfig, pkce } from '../support/interactive.ts';

const request = (issuer: string, extra: Record<string, string> = {}) =>
  authorizeUrl(issuer, { client_id: 'web', redirect_uri: 'https://app.example.com/cb', scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256', ...extra });

const outcome = (location: string | undefined) => {
  const params = new URL(location!).searchParams;
  return params.get('code') ? 'code' : params.get('error');
};

describe('server-side sessions', () => {
  it('survive a restart of the server on the same database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idproo-sessions-'));
    const key = randomBytes(32);
    try {
      const first = await startTestServer({ config: interactiveConfig(), stores: await openSqliteStores(join(dir, 'db.sqlite')), dataProtectionKey: key });
      const browser = new TestBrowser(first.issuer);
      const login = await browser.navigate(request(first.issuer));
      await submitLogin(browser, login, alice.username, alice.password);
      await first.close();

      const second = await startTestServer({ config: interactiveConfig(), stores: await openSqliteStores(join(dir, 'db.sqlite')), dataProtectionKey: key });
      try {
        // Same cookie jar, new port: the cookie is sent by name, as a browser would to the same host.
        const again = new TestBrowser(second.issuer);
        for (const [name, value] of browser.cookies) again.cookies.set(name, value);
        assert.equal(outcome((await again.request(request(second.issuer, { prompt: 'none' }))).location), 'code');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const sliding of [false, true]) {
    it(`end after authentication.cookieLifetime${sliding ? ', moved by each use when sliding' : ''}`, async () => {
      let offset = 0;
      const server = await startTestServer({
        config: interactiveConfig({ authentication: { cookieLifetime: 100, cookieSlidingExpiration: sliding } }),
        clock: { now: () => Date.now() + offset },
      });
      try {
        const browser = new TestBrowser(server.issuer);
        const login = await browser.navigate(request(server.issuer));
        const action = new URL('/account/login', server.issuer).href;
        const signedIn = await browser.navigate(action, {
          form: { interaction: field(login.text, 'interaction'), csrf_token: field(login.text, 'csrf_token'), username: alice.username, password: alice.password, remember: 'on' },
        });
        assert.equal(outcome(signedIn.location), 'code');
        offset = 70_000;
        const used = await browser.request(request(server.issuer, { prompt: 'none' }));
        assert.equal(outcome(used.location), 'code');
        // A remembered (persistent) cookie is renewed with the session when it slides.
        assert.equal(used.headers.getSetCookie().some((line) => /idproo\.session=.*Max-Age=100/.test(line)), sliding);
        offset = 140_000;
        assert.equal(outcome((await browser.request(request(server.issuer, { prompt: 'none' }))).location), sliding ? 'code' : 'login_required');
      } finally {
        await server.close();
      }
    });
  }
});
