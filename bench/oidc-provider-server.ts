/**
 * The reference server of the benchmark: oidc-provider configured like IdProo's bench configs, in its own
 * process. Usage: node bench/oidc-provider-server.ts --port <port> --mode main|es256|rs256|interactive
 *
 *  - main:  ES256 + RS256 keys; the resource server issues opaque (reference) access tokens, for the
 *           discovery, jwks and introspection cases.
 *  - es256: one ES256 key; the resource server issues ES256-signed JWT access tokens.
 *  - rs256: one RS256 key; the resource server issues RS256-signed JWT access tokens.
 *  - interactive: one ES256 key (or --alg RS256) for ID tokens; client "web"/"web-secret" (authorization_code with S256 PKCE and
 *           refresh_token, rotated on every use like IdProo's OneTimeOnly), user "bench" whose password is
 *           checked by one node:crypto argon2id verification (m=19456, t=2, p=1, IdProo's parameters) against
 *           the same PHC hash as bench/idproo.interactive.json; the sign-in page and its POST are a small
 *           router on oidc-provider's interaction API (interactionDetails / interactionFinished) that also
 *           grants the requested scopes (auto-consent through a Grant). Access tokens are opaque: its
 *           UserInfo endpoint takes no other kind.
 *
 * Clients: "bench"/"bench-secret" (client_credentials, client_secret_basic) and "bench-rs"/"bench-rs-secret",
 * the caller of the introspection endpoint. Resource indicator "urn:bench:api" (the default), scope "api".
 */
import { argon2, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    mode: { type: 'string', default: 'main' },
    alg: { type: 'string', default: 'ES256' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
const mode = values.mode ?? 'main';
if (!Number.isInteger(port) || port <= 0) throw new Error('--port <port> is required');
if (!['main', 'es256', 'rs256', 'interactive'].includes(mode)) throw new Error('--mode must be main, es256, rs256 or interactive');
const interactive = mode === 'interactive';

if (values.alg !== 'ES256' && values.alg !== 'RS256') throw new Error('--alg must be ES256 or RS256');
const algs = mode === 'main' ? ['ES256', 'RS256'] : interactive ? [values.alg] : [mode.toUpperCase()];
const keys = [];
for (const alg of algs) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  keys.push({ ...jwk, alg, use: 'sig', kid: `bench-${alg.toLowerCase()}` });
}

const resource = 'urn:bench:api';
const resourceServer =
  mode === 'main'
    ? { scope: 'api', audience: resource, accessTokenTTL: 3600, accessTokenFormat: 'opaque' }
    : { scope: 'api', audience: resource, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: algs[0] } } };

const issuer = `http://${values.host}:${port}`;

/** The configuration of the client-credentials modes (unchanged). */
const tokenConfiguration = {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api',
      // No ID tokens are issued; align the default with the available key so either key set validates.
      id_token_signed_response_alg: algs.includes('RS256') ? 'RS256' : algs[0],
    },
    {
      client_id: 'bench-rs',
      client_secret: 'bench-rs-secret',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: algs.includes('RS256') ? 'RS256' : algs[0],
    },
  ],
  jwks: { keys },
  scopes: ['api'],
  cookies: { keys: ['bench-cookie-key-not-secret'] },
  ttl: { AccessToken: 3600, ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      allowedPolicy: async () => true,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
        if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
        return resourceServer;
      },
    },
  },
};

// ---- interactive mode: the same user, password hash and claims as bench/idproo.interactive.json --------

const argon2Async = promisify(argon2);
const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
/** IdProo's verifyPassword (src/config/passwords.ts): one argon2id computation on the thread pool, constant-time compare. */
async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = phc.exec(encoded);
  if (!match) return false;
  const expected = Buffer.from(match[5]!, 'base64');
  const actual = await argon2Async('argon2id', {
    message: password,
    nonce: Buffer.from(match[4]!, 'base64'),
    memory: Number(match[1]),
    passes: Number(match[2]),
    parallelism: Number(match[3]),
    tagLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

interface Account {
  readonly subjectId: string;
  readonly passwordHash: string;
  readonly claims: Record<string, unknown>;
}
const accounts = new Map<string, Account>([
  [
    'bench',
    {
      subjectId: 'bench-user-1',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$aWRwcm9vLWJlbmNoLXNhbHQ$iK5TluCYgHjLlpDbQARmIPNKQlR8JhE6RZ2axDrFEUk',
      claims: { name: 'Bench User', given_name: 'Bench', family_name: 'User', email: 'bench@example.com', email_verified: true },
    },
  ],
]);
// The same flow with a trivial hash (m=64 KiB, t=1), to measure everything but the password hash.
accounts.set('bench-light', {
  subjectId: 'bench-user-2',
  passwordHash: '$argon2id$v=19$m=64,t=1,p=1$aWRwcm9vLWJlbmNoLWxpZ2h0$2BXBQPHN1bsp2UZAlFis3i/B92bMMfbEmsf5n9PcGuo',
  claims: { name: 'Bench User', given_name: 'Bench', family_name: 'User', email: 'bench@example.com', email_verified: true },
});
const bySubject = new Map([...accounts.values()].map((a) => [a.subjectId, a]));
// An unknown user costs one verification too, as in IdProo.
const decoy = '$argon2id$v=19$m=19456,t=2,p=1$ZGVjb3ktc2FsdC1kZWNveQ$iK5TluCYgHjLlpDbQARmIPNKQlR8JhE6RZ2axDrFEUk';

/**
 * oidc-provider's development adapter keeps everything in an LRU of 1000 entries: under load it evicts live
 * grants and refresh tokens (invalid_grant). The same adapter over an unbounded Map with expiry, like
 * IdProo's memory store.
 */
class UnboundedStore {
  readonly #entries = new Map<string, { value: unknown; expiry: number | undefined }>();
  get(key: string): unknown {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiry !== undefined && entry.expiry <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  set(key: string, value: unknown, options?: { maxAge?: number }): void {
    this.#entries.set(key, { value, expiry: options?.maxAge === undefined ? undefined : Date.now() + options.maxAge });
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
const store = new UnboundedStore();

const interactiveConfiguration = {
  adapter: (model: string) => new MemoryAdapter(model, store),
  clients: [
    {
      client_id: 'web',
      client_name: 'Bench Web App',
      client_secret: 'web-secret',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['https://app.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: algs[0],
    },
  ],
  jwks: { keys },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
  },
  findAccount: async (_ctx: unknown, sub: string) => {
    const account = bySubject.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  cookies: { keys: ['bench-cookie-key-not-secret'] },
  pkce: { required: () => true },
  // IdProo rotates refresh tokens on every use by default (OneTimeOnly); oidc-provider's default rotates
  // only public clients' tokens or old ones.
  rotateRefreshToken: () => true,
  ttl: { AccessToken: 3600, AuthorizationCode: 300, IdToken: 300, RefreshToken: 30 * 86400, Interaction: 600, Session: 36_000, Grant: 30 * 86400 },
  features: {
    devInteractions: { enabled: false },
  },
};

const provider = new Provider(issuer, interactive ? interactiveConfiguration : tokenConfiguration);

provider.on('server_error', (_ctx, error) => {
  console.error('server_error', error);
});

const csrfKey = randomBytes(32);
/** A CSRF token bound to the interaction (IdProo keeps a random one in the interaction; an HMAC costs the same). */
const csrfToken = (uid: string) => createHmac('sha256', csrfKey).update(uid).digest('base64url');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function loginPage(uid: string, clientName: string, error?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
</head>
<body>
<main>
<h1>Sign in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<p>Sign in to continue to ${escapeHtml(clientName)}.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<input type="hidden" name="csrf_token" value="${csrfToken(uid)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET /interaction/:uid (the sign-in page) and POST /interaction/:uid/login, on the interaction API. */
async function interaction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
  if (!match) return send(res, 404, 'not found', 'text/plain');
  const [, uid, login] = match;
  const details = (await provider.interactionDetails(req, res)) as { uid: string; params: Record<string, string>; prompt: { name: string } };
  if (details.uid !== uid) return send(res, 400, 'this sign-in belongs to another browser', 'text/plain');
  const client = await provider.Client.find(details.params.client_id!);
  const clientName = (client?.clientName as string | undefined) ?? details.params.client_id!;
  if (!login && req.method === 'GET') return send(res, 200, loginPage(uid!, clientName));
  if (!login || req.method !== 'POST') return send(res, 405, 'method not allowed', 'text/plain');
  const form = new URLSearchParams(await readBody(req));
  const sameOrigin = req.headers.origin === new URL(issuer).origin || req.headers['sec-fetch-site'] === 'same-origin';
  const token = Buffer.from(form.get('csrf_token') ?? '');
  const expected = Buffer.from(csrfToken(uid!));
  if (!sameOrigin || token.length !== expected.length || !timingSafeEqual(token, expected)) return send(res, 403, loginPage(uid!, clientName, 'The form expired; try again.'));
  const username = form.get('username') ?? '';
  const account = username.length > 256 ? undefined : accounts.get(username);
  const ok = await verifyPassword((form.get('password') ?? '').slice(0, 1024), account?.passwordHash ?? decoy);
  if (!ok || !account) return send(res, 401, loginPage(uid!, clientName, 'The username or password is wrong.'));
  // Auto-consent: a grant of everything asked for, as IdProo does for a client without requireConsent.
  const grant = new provider.Grant({ accountId: account.subjectId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope ?? 'openid');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: account.subjectId, amr: ['pwd'] }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (interactive && path.startsWith('/interaction/')) {
    interaction(req, res, path).catch((error: unknown) => {
      console.error('interaction error', error);
      if (!res.headersSent) send(res, 400, `interaction failed: ${(error as Error).message}`, 'text/plain');
      else res.destroy();
    });
    return;
  }
  callback(req, res);
});
server.listen(port, values.host, () => {
  console.log(`oidc-provider (${mode}) listening on ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
