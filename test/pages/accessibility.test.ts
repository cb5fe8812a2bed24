import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { launch, noChromium } from '../browser/harness.ts';
import type { EndpointRequest, EndpointResponse } from '../../src/endpoints/types.ts';
import { paths } from '../../src/endpoints/paths.ts';
import { createLanguageEndpoint, loginPage, stylesheetEndpoint, type Locale } from '../../src/pages/index.ts';
import { allPages, context } from './fixtures.ts';

const axeSource = readFileSync(new URL(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
// A 1×1 transparent PNG, for the logos.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface Received {
  readonly path: string;
  readonly body: string;
}

/** Serves the rendered pages at /page/<locale>/<name>, the stylesheet and stand-ins for a client. */
class PageServer {
  readonly server: Server;
  readonly posts: Received[] = [];
  base = '';
  /** Extra routes a test adds, by path. */
  readonly routes = new Map<string, (req: IncomingMessage, body: string) => EndpointResponse>();

  constructor() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url!, this.base);
      const response = await this.answer(req, url, body);
      res.writeHead(response.status, response.headers as Record<string, string | string[]>);
      res.end(response.body);
    });
  }

  async answer(req: IncomingMessage, url: URL, body: string): Promise<EndpointResponse> {
    const route = this.routes.get(url.pathname);
    if (route) return route(req, body);
    if (url.pathname === paths.stylesheet) return stylesheetEndpoint(fakeRequest(req, url));
    if (url.pathname === paths.language) return createLanguageEndpoint({ secure: false })(fakeRequest(req, url));
    if (url.pathname === '/brand.css') return { status: 200, headers: { 'content-type': 'text/css' }, body: ':root { --ip-primary: #6d28d9; }' };
    if (url.pathname === '/logo.png') return { status: 200, headers: { 'content-type': 'image/png' }, body: png };
    if (url.pathname === '/app') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'the application' };
    if (url.pathname === '/callback') {
      this.posts.push({ path: url.pathname, body });
      // HTML §7.4.2.3.3: a 204 answer does not navigate, so the form post page stays for axe to read.
      return { status: 204, headers: {} };
    }
    const match = /^\/page\/(en|id)\/(.+)$/.exec(url.pathname);
    const page = match ? allPages(match[1] as Locale, this.base)[decodeURIComponent(match[2]!)] : undefined;
    return page ?? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such page' };
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function fakeRequest(req: IncomingMessage, url: URL): EndpointRequest {
  return {
    method: req.method!,
    requestId: 'req',
    remoteAddress: undefined,
    clientCertificate: undefined,
    readQuery: () => [...url.searchParams],
    cookie: () => undefined,
    header: (name) => req.headers[name] as string | undefined,
    readForm: () => Promise.reject(new Error('not used')),
  };
}

/**
 * CSP violations (Chromium reports each on the console), script errors, and subresources that
 * failed: all must stay empty. The page's own status is not a problem: error pages are 4xx.
 */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('requestfailed', (request) => {
    // A navigation answered 204 ends as ERR_ABORTED: the page stays, nothing failed.
    if (request.resourceType() === 'document' && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') problems.push(`${response.url()} ${response.status()}`);
  });
  return problems;
}

/**
 * Opens a fixture page. The form post page submits itself at once; the stand-in callback answers
 * 204, which leaves the page in place (HTML §7.4.2.3.3), but page.goto would wait on that second
 * navigation forever, so it waits for the post instead.
 */
async function open(page: Page, base: string, locale: Locale, name: string) {
  const url = `${base}/page/${locale}/${encodeURIComponent(name)}`;
  if (name !== 'form post') return page.goto(url);
  const posted = page.waitForResponse(`${base}/callback`);
  const response = await page.goto(url, { waitUntil: 'commit' });
  await posted;
  await page.waitForFunction('document.readyState === "complete"');
  return response;
}

const pageNames = Object.keys(allPages('en'));

describe('the pages in Chromium', { skip: noChromium }, () => {
  const server = new PageServer();
  const client = new PageServer();
  let browser: Browser;

  before(async () => {
    await Promise.all([server.start(), client.start()]);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server.close(), client.close()]);
  });

  for (const locale of ['en', 'id'] as const) {
    for (const name of pageNames) {
      it(`${locale} ${name}: no axe violations`, async () => {
        // axe is a script; the page's CSP allows none, so the CSP is bypassed for this pass only.
        const context = await browser.newContext({ bypassCSP: true });
        try {
          const page = await context.newPage();
          await open(page, server.base, locale, name);
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string; nodes: { html: string }[] }[] }> } }).axe.run();
            return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`);
          });
          assert.deepEqual(violations, []);
        } finally {
          await context.close();
        }
      });

      it(`${locale} ${name}: its CSP blocks nothing it needs, it says its language, it fits a phone`, async () => {
        const context = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true });
        try {
          const page = await context.newPage();
          const problems = watchProblems(page);
          const response = await open(page, server.base, locale, name);
          assert.ok(response?.headers()['content-security-policy']);
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          // The built-in stylesheet was applied: the card's width is limited.
          assert.equal(await page.evaluate('getComputedStyle(document.querySelector("main")).maxWidth'), '416px');
          const images = await page.$$eval('img', (imgs) => imgs.map((img) => img.naturalWidth));
          assert.ok(images.every((width) => width > 0), 'every image loaded');
          // WCAG 2.2 SC 1.4.10 Reflow: nothing scrolls sideways at 320 CSS pixels.
          assert.equal(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth'), true);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('the form post page submits itself under its CSP, with every field', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      const before = server.posts.length;
      await open(page, server.base, 'en', 'form post');
      assert.equal(server.posts.length, before + 1);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(server.posts.at(-1)!.body)), { code: 'abc', state: 'xyz"<>', iss: 'https://idp.example' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the form post page offers Continue where scripts do not run', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}/page/id/form%20post`);
      const posted = page.waitForRequest(`${server.base}/callback`);
      await page.getByRole('button', { name: 'Lanjutkan' }).click();
      assert.equal((await posted).method(), 'POST');
    } finally {
      await context.close();
    }
  });

  it('the language switch sets the cookie and returns to the page', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}/page/en/login`);
      await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
      // The fixture page is served at /account/login in the model, not here: the switch returns there.
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/account/login?interaction=int-1');
      const cookies = await context.cookies(server.base);
      assert.deepEqual(cookies.map((c) => [c.name, c.value.replace(/\.\d+$/, ''), c.httpOnly, c.sameSite]), [['idproo.lang', 'id', true, 'Lax']]);
    } finally {
      await context.close();
    }
  });

  it('keyboard focus is visible on every control', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}/page/en/consent`);
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        const outline = await page.evaluate('(({ outlineStyle, outlineWidth }) => `${outlineStyle} ${outlineWidth}`)(getComputedStyle(document.activeElement))');
        assert.equal(outline, 'solid 3px');
      }
    } finally {
      await context.close();
    }
  });

  // Chromium checks form-action on the redirects that answer a form submission too; a login form
  // whose POST ends in a redirect to the client therefore needs the client in PageContext.formActions.
  for (const listed of [false, true]) {
    it(`a form answered by a redirect to the client ${listed ? 'arrives when the client is in formActions' : 'is blocked when the client is not listed'}`, async () => {
      const redirectUri = `${client.base}/callback`;
      server.routes.set('/login-with-redirect', () =>
        loginPage(context('en', '/login-with-redirect', listed ? { formActions: [redirectUri] } : {}), {
          action: '/login-submit', interactionId: 'i', csrfToken: 'c', allowRememberMe: false,
        }),
      );
      server.routes.set('/login-submit', () => ({ status: 303, headers: { location: `${redirectUri}?code=abc` } }));
      const browserContext = await browser.newContext();
      try {
        const page = await browserContext.newPage();
        const problems = watchProblems(page);
        await page.goto(`${server.base}/login-with-redirect`);
        await page.getByLabel('Username').fill('budi');
        await page.getByLabel('Password').fill('secret');
        const reached = page.waitForRequest(`${redirectUri}?code=abc`, { timeout: 3000 }).then(() => true, () => false);
        await page.getByRole('button', { name: 'Sign in' }).click();
        assert.equal(await reached, listed);
        if (!listed) assert.ok(problems.some((p) => /form-action/.test(p)), problems.join('\n'));
      } finally {
        await browserContext.close();
      }
    });
  }
});
