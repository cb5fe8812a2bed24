/**
 * Interactive flows scripted over plain HTTP, the same way for IdProo and oidc-provider: a cookie jar per
 * browser, redirects followed on the provider's origin, the sign-in page's form read and posted back with its
 * hidden fields (and Origin / Sec-Fetch-Site as a browser sends them), the code taken from the redirect to the
 * client, then redeemed at the token endpoint with PKCE. No browser: the load generator is this process.
 *
 * Also the closed-loop drivers of the interactive cases: full code flows, and refresh-token rotations (each
 * worker owns one refresh token chain and sends the token the previous answer returned).
 */
import { argon2, createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import type { LoadResult } from './load.ts';

export interface Reply {
  readonly status: number;
  readonly location: string | undefined;
  readonly setCookie: readonly string[];
  readonly body: string;
}

/** node:http with a keep-alive agent: one pool of connections shared by every flow of a run. */
export class HttpClient {
  readonly #sockets: number;
  #agent: Agent;

  constructor(sockets: number) {
    this.#sockets = sockets;
    this.#agent = this.#newAgent();
  }

  #newAgent(): Agent {
    return new Agent({ keepAlive: true, maxSockets: this.#sockets, maxFreeSockets: this.#sockets, scheduling: 'lifo' });
  }

  /**
   * Fresh connections. Between two runs the server may close idle keep-alive connections (its timeout) just
   * as one is reused ("socket hang up"); a rotated refresh token cannot be retried, so every run starts anew.
   */
  reset(): void {
    this.#agent.destroy();
    this.#agent = this.#newAgent();
  }

  send(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string, timeoutMs = 10_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const all = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = httpRequest(url, { method, headers: all, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, setCookie, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** What a flow needs to know about one server and one of its clients. */
export interface FlowTarget {
  /** http://127.0.0.1:<port>: where requests go. */
  readonly base: string;
  /** The issuer as the server names itself (its redirects point there; paths are kept, requests go to base). */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scope: string;
  /** Extra authorization request parameters (oidc-provider keeps offline_access only with prompt=consent). */
  readonly extraParams: Readonly<Record<string, string>>;
  readonly username: string;
  readonly password: string;
}

export interface FlowTokens {
  readonly access_token: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
  readonly token_type: string;
  readonly nonce: string;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** `Basic` credentials with client_id and secret form-encoded first (RFC 6749 §2.3.1). */
export function basic(id: string, secret: string): string {
  const enc = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

const entities: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>' };
const unescapeHtml = (text: string) => text.replace(/&(?:amp|quot|#39|#x27|lt|gt);/g, (m) => entities[m] ?? m);
const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return match ? unescapeHtml(match[1]!) : undefined;
};

/** The first POST form of a page: its action and hidden fields. */
export function readForm(html: string): { action: string; hidden: Record<string, string> } {
  const formTag = /<form\b[^>]*>/i.exec(html)?.[0];
  const action = formTag ? attribute(formTag, 'action') : undefined;
  if (!formTag || action === undefined) throw new Error(`no form with an action in the page: ${html.slice(0, 200)}`);
  const hidden: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/gi)) {
    if (attribute(tag, 'type') !== 'hidden') continue;
    const name = attribute(tag, 'name');
    if (name !== undefined) hidden[name] = attribute(tag, 'value') ?? '';
  }
  return { action, hidden };
}

/** One browser: a cookie jar (names only; paths and expiry are not needed here) and the provider's origin. */
class Browser {
  readonly #client: HttpClient;
  readonly #base: string;
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();

  constructor(client: HttpClient, target: FlowTarget) {
    this.#client = client;
    this.#base = target.base;
    this.#origin = new URL(target.issuer).origin;
  }

  /** A URL on the provider (absolute on its issuer's origin, or a path) as a request URL on 127.0.0.1. */
  local(url: string, from: string = this.#origin): string | undefined {
    const parsed = new URL(url, from);
    return parsed.origin === this.#origin || parsed.origin === this.#base ? `${this.#base}${parsed.pathname}${parsed.search}` : undefined;
  }

  async request(url: string, fields?: Record<string, string>): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size > 0) headers['cookie'] = [...this.#cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    let body: string | undefined;
    if (fields !== undefined) {
      body = form(fields);
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['origin'] = this.#origin;
      headers['sec-fetch-site'] = 'same-origin';
    }
    const reply = await this.#client.send(url, fields === undefined ? 'GET' : 'POST', headers, body);
    for (const line of reply.setCookie) {
      const pair = line.slice(0, line.indexOf(';') === -1 ? line.length : line.indexOf(';'));
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return reply;
  }

  /** Follows redirects while they stay on the provider; returns the last answer and its URL. */
  async navigate(url: string, fields?: Record<string, string>): Promise<{ reply: Reply; url: string }> {
    let reply = await this.request(url, fields);
    let at = url;
    for (let hops = 0; reply.status >= 300 && reply.status < 400 && reply.location !== undefined; hops++) {
      const next = this.local(reply.location);
      if (next === undefined || hops >= 10) break;
      at = next;
      reply = await this.request(next);
    }
    return { reply, url: at };
  }
}

/** RFC 7636: a verifier and its S256 challenge. */
function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * authorize → the sign-in page → the sign-in form posted → the redirect chain back to the client → the
 * code redeemed. Throws with the step that went wrong.
 */
export async function codeFlow(client: HttpClient, target: FlowTarget): Promise<FlowTokens> {
  const browser = new Browser(client, target);
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: target.clientId,
    redirect_uri: target.redirectUri,
    scope: target.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...target.extraParams,
  });
  const login = await browser.navigate(`${target.authorizationEndpoint}?${params}`);
  if (login.reply.status !== 200) throw new Error(`authorize: expected the sign-in page, got ${login.reply.status} ${login.reply.location ?? login.reply.body.slice(0, 200)}`);
  const { action, hidden } = readForm(login.reply.body);
  const post = browser.local(action, login.url);
  if (post === undefined) throw new Error(`the sign-in form posts elsewhere: ${action}`);
  const done = await browser.navigate(post, { ...hidden, username: target.username, password: target.password });
  const location = done.reply.location;
  if (done.reply.status < 300 || done.reply.status >= 400 || location === undefined || !location.startsWith(target.redirectUri)) {
    throw new Error(`sign-in: expected a redirect to the client, got ${done.reply.status} ${location ?? done.reply.body.slice(0, 300)}`);
  }
  const answer = new URL(location).searchParams;
  const code = answer.get('code');
  if (!code) throw new Error(`no code in the redirect to the client: ${location}`);
  if (answer.get('state') !== state) throw new Error(`state not echoed: ${location}`);
  if (answer.get('iss') !== target.issuer) throw new Error(`iss ${answer.get('iss')} is not the issuer ${target.issuer}`);
  const token = await client.send(
    target.tokenEndpoint,
    'POST',
    { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(target.clientId, target.clientSecret) },
    form({ grant_type: 'authorization_code', code, redirect_uri: target.redirectUri, code_verifier: verifier }),
  );
  if (token.status !== 200) throw new Error(`token: ${token.status} ${token.body.slice(0, 300)}`);
  const tokens = JSON.parse(token.body) as Omit<FlowTokens, 'nonce'>;
  if (typeof tokens.access_token !== 'string') throw new Error(`token: no access_token in ${token.body.slice(0, 300)}`);
  return { ...tokens, nonce };
}

/** One refresh: the new token set (RFC 6749 §6). */
export async function refresh(client: HttpClient, target: FlowTarget, refreshToken: string): Promise<{ status: number; body: string; json?: Record<string, unknown> }> {
  const reply = await client.send(
    target.tokenEndpoint,
    'POST',
    { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(target.clientId, target.clientSecret) },
    form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  );
  if (reply.status !== 200) return { status: reply.status, body: reply.body };
  return { status: reply.status, body: reply.body, json: JSON.parse(reply.body) as Record<string, unknown> };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Closed loop: `concurrency` workers each repeat `unit` until `seconds` have passed (no new unit starts
 * after that; units in flight finish and count). The rate is units over the time until the last finished.
 */
async function closedLoop(concurrency: number, seconds: number, unit: (worker: number) => Promise<boolean | 'stop'>): Promise<LoadResult> {
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        const result = await unit(index);
        if (result === 'stop') break;
        if (result) {
          ok++;
          latencies.push(performance.now() - start);
        } else non2xx++;
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        if (errors > 20 && ok === 0) break; // a broken setup: do not spin
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    tool: 'node',
    requests: ok,
    seconds: elapsed,
    rps: ok / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    non2xx,
    errors,
    timeouts: 0,
    ...(firstError !== undefined ? { firstError } : {}),
  };
}

/** Full code flows per second. */
export function flowLoad(client: HttpClient, target: FlowTarget, concurrency: number, seconds: number) {
  client.reset();
  return closedLoop(concurrency, seconds, async () => {
    await codeFlow(client, target);
    return true;
  });
}

/**
 * A pool of refresh token chains, one per worker: each request rotates its chain's token and the next uses
 * the token returned. A chain whose request fails is dead (a rotated token cannot be retried).
 */
export class RefreshPool {
  readonly tokens: (string | undefined)[];

  constructor(tokens: string[]) {
    this.tokens = [...tokens];
  }

  get alive(): number {
    return this.tokens.filter((t) => t !== undefined).length;
  }

  load(client: HttpClient, target: FlowTarget, seconds: number) {
    client.reset();
    return closedLoop(this.tokens.length, seconds, async (worker) => {
      const current = this.tokens[worker];
      if (current === undefined) return 'stop';
      const answer = await refresh(client, target, current);
      const next = answer.json?.refresh_token;
      if (answer.status !== 200 || typeof answer.json?.access_token !== 'string') {
        this.tokens[worker] = undefined;
        throw new Error(`refresh: ${answer.status} ${answer.body.slice(0, 200)}`);
      }
      if (typeof next === 'string') this.tokens[worker] = next;
      return true;
    });
  }
}

/** Refresh tokens from `count` full flows, `concurrency` at a time. */
export async function refreshTokens(client: HttpClient, target: FlowTarget, count: number, concurrency: number): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const tokens = await codeFlow(client, target);
      if (typeof tokens.refresh_token !== 'string') throw new Error('the code flow returned no refresh_token (offline_access not granted?)');
      out.push(tokens.refresh_token);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** IdProo's parameters (src/config/passwords.ts) and the bench user's salt: what one sign-in verifies. */
const argon2Params = { message: 'bench password 1234', nonce: Buffer.from('idproo-bench-salt'), memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };
const argon2Once = () => new Promise<void>((resolve, reject) => argon2('argon2id', argon2Params, (error) => (error ? reject(error) : resolve())));

/** argon2id verifications alone in this process (node:crypto, on the thread pool like the servers'), as a closed loop. */
export function argon2Load(concurrency: number, seconds: number) {
  return closedLoop(concurrency, seconds, async () => {
    await argon2Once();
    return true;
  });
}
