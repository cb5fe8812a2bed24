import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from 'playwright-core';

/**
 * Debian's Chromium, never a downloaded build. Where it is missing the browser tests are reported as
 * skipped, with how to install it; in CI (.ci/run sets CI, and installs Chromium) they run and fail loudly.
 */
export const executablePath = '/usr/bin/chromium';
export const noChromium = !existsSync(executablePath) && !process.env['CI'] && `no Chromium at ${executablePath}: apt-get install -y chromium (CI installs it)`;
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launch = (): Promise<Browser> => chromium.launch({ executablePath, args: chromiumArgs, timeout: 15_000 });

/** Short timeouts: every page here is served from this process, so a wait of seconds means a failure. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  context.setDefaultTimeout(8_000);
  context.setDefaultNavigationTimeout(8_000);
  return context;
}

/**
 * What Chromium reports on the console of every page of the context: CSP violations ("Refused to …",
 * "Content Security Policy") and script errors. A flow must leave it empty.
 */
export function watchCsp(context: BrowserContext): string[] {
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

const axeSource = readFileSync(new URL(import.meta.resolve('axe-core/axe.min.js')), 'utf8');

/** axe-core's violations on the page (the context must bypass the CSP: the pages allow no script of ours). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    type Axe = { run(options: object): Promise<{ violations: { id: string; help: string; nodes: { html: string }[] }[] }> };
    // Only violations are wanted: axe then skips the details of what passed.
    const result = await (globalThis as unknown as { axe: Axe }).axe.run({ resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`);
  });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const htmlPage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

interface Pending {
  readonly verifier: string;
  readonly nonce: string;
}

export interface SignedInTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly sub: string;
}

type Route = (req: IncomingMessage, url: URL, body: string) => { status: number; headers?: Record<string, string>; body: string };

/**
 * A relying-party web application on its own 127.0.0.1 port, built on openid-client as a real one
 * would be: /login starts the flow (PKCE S256, state, nonce; the query's prompt, max_age, ui_locales
 * and response_mode go along), /cb redeems the code (GET, or POST for form_post), fetches UserInfo
 * and shows the claims; /logout goes to the end_session_endpoint with the ID token as hint.
 *
 * Its port is known once `listen()` resolves, so the provider's configuration can register
 * `redirectUri` and `postLogoutRedirectUri`; `connect()` then discovers the provider.
 */
export class RelyingParty {
  readonly server: Server;
  origin = '';
  config: client.Configuration | undefined;
  clientId = '';
  /** The tokens of the last sign-in, by `sub`'s session: the logout hint comes from here. */
  last: SignedInTokens | undefined;
  /** Each callback request: its method and parameters. */
  readonly callbacks: { method: string; params: Record<string, string> }[] = [];
  readonly routes = new Map<string, Route>();
  readonly #pending = new Map<string, Pending>();

  readonly name: string;

  constructor(name: string) {
    this.name = name;
    this.server = createServer((req, res) => {
      this.#answer(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  }

  get redirectUri(): string {
    return `${this.origin}/cb`;
  }

  get postLogoutRedirectUri(): string {
    return `${this.origin}/signed-out`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async connect(issuer: string, clientId: string, secret?: string): Promise<this> {
    this.clientId = clientId;
    const auth = secret === undefined ? client.None() : client.ClientSecretBasic(secret);
    this.config = await client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The URL that starts a sign-in at this RP, with extra authorization parameters. */
  loginUrl(params: Record<string, string> = {}): string {
    return `${this.origin}/login?${new URLSearchParams(params)}`;
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url!, this.origin);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(html);
    };
    const route = this.routes.get(url.pathname);
    if (route) {
      const answer = route(req, url, body);
      res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', ...answer.headers });
      res.end(answer.body);
      return;
    }
    switch (url.pathname) {
      case '/': return send(200, htmlPage(`${this.name} home`, '<p>Welcome.</p>'));
      case '/login': return send(303, '', { location: await this.#start(url.searchParams) });
      case '/cb': return send(...(await this.#callback(req, url, body)));
      case '/logout': return send(303, '', { location: this.#endSession(url.searchParams) });
      case '/signed-out': return send(200, htmlPage(`${this.name}: signed out`, `<p id="state">${escape(url.searchParams.get('state') ?? '')}</p>`));
      case '/favicon.ico': return send(204, '');
      default: return send(404, htmlPage('Not found', ''));
    }
  }

  async #start(query: URLSearchParams): Promise<string> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    this.#pending.set(state, { verifier, nonce });
    return client.buildAuthorizationUrl(this.config!, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...Object.fromEntries(query),
    }).href;
  }

  async #callback(req: IncomingMessage, url: URL, body: string): Promise<[number, string]> {
    const params = Object.fromEntries(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams);
    this.callbacks.push({ method: req.method!, params });
    const pending = params.state === undefined ? undefined : this.#pending.get(params.state);
    if (pending === undefined) return [400, htmlPage('Sign-in failed', '<p id="error">unknown state</p>')];
    this.#pending.delete(params.state!);
    // form_post: openid-client reads the parameters from the POST body of the request itself.
    const current = req.method === 'POST' ? new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }) : url;
    try {
      const tokens = await client.authorizationCodeGrant(this.config!, current, { pkceCodeVerifier: pending.verifier, expectedState: params.state, expectedNonce: pending.nonce });
      const claims = tokens.claims()!;
      const info = await client.fetchUserInfo(this.config!, tokens.access_token, claims.sub);
      this.last = { idToken: tokens.id_token!, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, sub: claims.sub };
      const rows = Object.entries(info)
        .map(([name, value]) => `<dt>${escape(name)}</dt><dd data-claim="${escape(name)}">${escape(String(value))}</dd>`)
        .join('');
      return [200, htmlPage(`${this.name}: signed in`, `<p>ID token sub: <span id="sub">${escape(claims.sub)}</span></p><dl id="userinfo">${rows}</dl>`)];
    } catch (error) {
      const code = (error as { error?: string }).error ?? (error as Error).message;
      return [400, htmlPage('Sign-in failed', `<p id="error">${escape(code)}</p>`)];
    }
  }

  /** RP-Initiated Logout: with the last ID token as hint and this RP's URI, unless `?hint=no`. */
  #endSession(query: URLSearchParams): string {
    const withHint = query.get('hint') !== 'no';
    const params: Record<string, string> = { post_logout_redirect_uri: this.postLogoutRedirectUri, state: 'bye' };
    if (withHint) {
      assert.ok(this.last, 'a logout with a hint needs a sign-in first');
      params['id_token_hint'] = this.last.idToken;
    } else {
      params['client_id'] = this.clientId;
    }
    for (const [name, value] of query) if (name !== 'hint') params[name] = value;
    const url = client.buildEndSessionUrl(this.config!, params);
    if (withHint) url.searchParams.delete('client_id');
    return url.href;
  }
}

/** Fills the labelled inputs of the sign-in page and presses its button. */
export async function signIn(page: Page, user: { username: string; password: string }, labels = { username: 'Username', password: 'Password', submit: 'Sign in' }): Promise<void> {
  await page.getByLabel(labels.username).fill(user.username);
  await page.getByLabel(labels.password).fill(user.password);
  await page.getByRole('button', { name: labels.submit }).click();
}

/**
 * A fresh context and page for every test of the suite, handed to `use`; after each test the context is
 * closed and the test fails if any page logged a CSP violation or a script error.
 */
export function pagePerTest(browser: () => Browser, use: (page: Page, context: BrowserContext) => void): void {
  let context: BrowserContext;
  let problems: string[];
  beforeEach(async () => {
    context = await newContext(browser());
    problems = watchCsp(context);
    use(await context.newPage(), context);
  });
  afterEach(async () => {
    await context.close();
    assert.deepEqual(problems, [], 'no CSP violation or script error on any page');
  });
}
