import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TestBrowser, submitLogin, type Page } from '../support/browser.ts';
import { alice, authorizeUrl, bob, interactiveConfig, pkce } from '../support/interactive.ts';

describe('sign-in throttling', () => {
  let server: TestServer;
  let offset = 0;
  before(async () => {
    server = await startTestServer({
      config: interactiveConfig({ authentication: { maxFailedAttemptsPerAccount: 3, maxFailedAttemptsPerIp: 8, lockoutDuration: '10m' } }),
      clock: { now: () => Date.now() + offset },
    });
  });
  after(() => server.close());

  const loginPage = async (browser: TestBrowser): Promise<Page> =>
    browser.navigate(authorizeUrl(server.issuer, { client_id: 'web', redirect_uri: 'https://app.example.com/cb', scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));

  async function attempt(username: string, password: string): Promise<Page> {
    const browser = new TestBrowser(server.issuer);
    return submitLogin(browser, await loginPage(browser), username, password);
  }

  it('locks an account after its limit, refuses even the right password, and lets it in again after the lockout', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await attempt(alice.username, 'wrong')).status, 401);
    const locked = await attempt(alice.username, alice.password);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.match(locked.text, /role="alert"/);
    offset += 11 * 60_000;
    const open = await attempt(alice.username, alice.password);
    assert.equal(open.status, 303);
    assert.ok(new URL(open.location!).searchParams.get('code'));
  });

  it('counts an unknown username like a known one', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await attempt('nobody-at-all', 'wrong')).status, 401);
    assert.equal((await attempt('nobody-at-all', 'wrong')).status, 429);
    offset += 11 * 60_000;
  });

  it('a success resets the account\'s count', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await attempt(bob.username, 'wrong')).status, 401);
    assert.equal((await attempt(bob.username, bob.password)).status, 303);
    for (let i = 0; i < 2; i++) assert.equal((await attempt(bob.username, 'wrong')).status, 401);
    assert.equal((await attempt(bob.username, bob.password)).status, 303);
    offset += 11 * 60_000;
  });

  it('limits one address across usernames', async () => {
    for (let i = 0; i < 8; i++) assert.equal((await attempt(`user-${i}`, 'wrong')).status, 401);
    const refused = await attempt(alice.username, alice.password);
    assert.equal(refused.status, 429);
    offset += 11 * 60_000;
  });

  it('an unknown user and a wrong password take about the same time', async () => {
    const time = async (username: string) => {
      const browser = new TestBrowser(server.issuer);
      const page = await loginPage(browser);
      const start = performance.now();
      const answer = await submitLogin(browser, page, username, 'wrong');
      assert.equal(answer.status, 401);
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 2; i++) {
      known.push(await time(alice.username));
      unknown.push(await time(`ghost-${i}`));
    }
    offset += 11 * 60_000;
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known) / median(unknown);
    // Both pay one argon2id verification (tens of ms); a shortcut for unknown users would make this ratio large.
    assert.ok(ratio > 0.4 && ratio < 2.5, `known ${median(known).toFixed(1)} ms vs unknown ${median(unknown).toFixed(1)} ms`);
  });
});
