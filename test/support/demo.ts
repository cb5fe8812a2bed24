import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IdProoConfigInput } from '../../src/index.ts';
import { field, submitLogin, type Page, type TestBrowser } from './browser.ts';
import { repo } from './cli-process.ts';

export const demoFile = `${repo}demo/idproo.json`;

/** demo/idproo.json as served at `issuer`: its demo client's URIs moved from http://localhost:5000 there. */
export const demoConfigAt = (issuer: string): IdProoConfigInput => JSON.parse(readFileSync(demoFile, 'utf8').replaceAll('http://localhost:5000', issuer)) as IdProoConfigInput;

/** The href of the link whose text is `text`, unescaped. */
export function link(page: Page, text: string): string {
  const anchor = [...page.text.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].find((m) => m[2] === text);
  assert.ok(anchor, `no link "${text}" on ${page.url}`);
  return new URL(anchor[1]!.replaceAll('&amp;', '&'), page.url).href;
}

/** The JSON of the <pre> after the heading `heading`, unescaped. */
export function shownJson(page: Page, heading: string): Record<string, unknown> {
  const match = new RegExp(`<h2>${heading}</h2>[\\s\\S]*?<pre><code>([\\s\\S]*?)</code></pre>`).exec(page.text);
  assert.ok(match, `no JSON under "${heading}"`);
  const text = match[1]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return JSON.parse(text) as Record<string, unknown>;
}

export const demoScopes = ['openid', 'profile', 'email', 'demo-api.read'];

/** /demo/login → the sign-in page → the consent page → Allow: the page the browser ends on. */
export async function signInThroughDemo(browser: TestBrowser, loginUrl: string, consent: Record<string, string | string[]> = {}): Promise<Page> {
  const login = await browser.navigate(loginUrl);
  assert.equal(login.status, 200);
  assert.match(login.url, /\/account\/login\?interaction=/);
  const consentPage = await submitLogin(browser, login, 'alice', 'alice');
  assert.equal(consentPage.status, 200);
  assert.match(consentPage.url, /\/account\/consent\?interaction=/);
  assert.match(consentPage.text, /Demo application/);
  return browser.navigate(new URL('/account/consent', consentPage.url).href, {
    form: { interaction: field(consentPage.text, 'interaction'), csrf_token: field(consentPage.text, 'csrf_token'), decision: 'allow', scope: demoScopes, ...consent },
  });
}

