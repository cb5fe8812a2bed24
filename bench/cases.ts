/** The measured requests, per server, with a pre-check of one response before any load. */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { codeFlow, flowLoad, HttpClient, refresh, RefreshPool, refreshTokens, type FlowTarget } from './flows.ts';
import { basicAuth, decodeJwtPart, send } from './http.ts';
import type { LoadResult } from './load.ts';
import type { ServerHandle } from './servers.ts';

export type CaseId = 'discovery' | 'jwks' | 'cc-es256' | 'cc-rs256' | 'introspection' | 'cc-cpu' | 'flow' | 'flow-light' | 'refresh' | 'userinfo';

export const caseLabels: Record<CaseId, string> = {
  discovery: 'discovery',
  jwks: 'jwks',
  'cc-es256': 'client_credentials ES256 JWT',
  'cc-rs256': 'client_credentials RS256 JWT',
  introspection: 'introspection (reference)',
  'cc-cpu': 'client_credentials, CPU ref.',
  flow: 'code flow + sign-in (flows/s)',
  'flow-light': 'code flow, trivial hash (flows/s)',
  refresh: 'refresh_token grant, rotating',
  userinfo: 'userinfo (Bearer)',
};

/** Interactive cases: the settings of their closed-loop drivers (bench/flows.ts). */
export interface InteractiveSettings {
  /** Code flows in flight at once. */
  readonly flowConcurrency: number;
  /** Refresh token chains, one request in flight each. */
  readonly refreshConcurrency: number;
  /** The group's one signing algorithm (both servers). */
  readonly alg: 'ES256' | 'RS256';
}

/** Which of a server's clients an interactive case uses: IdProo's "web" (JWT access tokens) or "web-ref" (reference). */
export type ClientVariant = 'jwt' | 'reference';

export interface Verdict {
  readonly ok: boolean;
  readonly note: string;
}

export interface PreparedCase {
  readonly id: CaseId;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Checks one response: ok, and a short description of what came back. */
  readonly verify: (status: number, body: Buffer) => Verdict | Promise<Verdict>;
  /** A scripted closed loop in this process instead of wrk/autocannon on the fixed request above. */
  readonly drive?: (seconds: number) => Promise<LoadResult>;
  /** The pre-check of a driven case (instead of one request checked by verify). */
  readonly check?: () => Promise<Verdict>;
  /** Releases the case's connections. */
  readonly close?: () => void;
}

/** Endpoint URLs come from discovery; the path is kept and requests go to 127.0.0.1:<port>. */
export function local(base: string, endpoint: unknown, name: string): string {
  if (typeof endpoint !== 'string') throw new Error(`discovery has no ${name}`);
  const url = new URL(endpoint);
  return `${base}${url.pathname}${url.search}`;
}

export function json(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const okStatus = (status: number) => status >= 200 && status < 300;
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const clientAuth = basicAuth('bench', 'bench-secret');
const tokenBody = 'grant_type=client_credentials&scope=api';
/** RFC 9068 §2.2: IdProo's access token claims, in its order. */
const accessTokenClaims = 'iss sub aud client_id scope jti iat nbf exp';

export async function prepareCase(server: ServerHandle, id: CaseId, settings: InteractiveSettings, variant: ClientVariant = 'jwt'): Promise<PreparedCase> {
  const discoveryUrl = `${server.base}/.well-known/openid-configuration`;
  const discovery = json((await send(discoveryUrl)).body) ?? {};
  switch (id) {
    case 'cc-cpu':
      return { ...(await prepareCase(server, settings.alg === 'RS256' ? 'cc-rs256' : 'cc-es256', settings)), id };
    case 'flow':
    case 'flow-light':
    case 'refresh':
    case 'userinfo':
      return prepareInteractive(server, id, discovery, settings, variant);
    case 'discovery':
      return {
        id,
        url: discoveryUrl,
        method: 'GET',
        headers: {},
        verify: (status, body) => {
          const doc = json(body);
          return { ok: okStatus(status) && typeof doc?.issuer === 'string', note: `${status}, issuer ${String(doc?.issuer)}, ${body.length} bytes` };
        },
      };
    case 'jwks':
      return {
        id,
        url: local(server.base, discovery.jwks_uri, 'jwks_uri'),
        method: 'GET',
        headers: {},
        verify: (status, body) => {
          const keys = json(body)?.keys;
          const list = Array.isArray(keys) ? (keys as Record<string, unknown>[]) : [];
          return { ok: okStatus(status) && list.length > 0, note: `${status}, keys ${list.map((k) => `${String(k.kty)}/${String(k.alg)}`).join(' ')}, ${body.length} bytes` };
        },
      };
    case 'cc-es256':
    case 'cc-rs256': {
      const alg = id === 'cc-es256' ? 'ES256' : 'RS256';
      const keys = json((await send(local(server.base, discovery.jwks_uri, 'jwks_uri'))).body) as JSONWebKeySet | undefined;
      if (!keys || !Array.isArray(keys.keys)) throw new Error('the JWKS is not a key set');
      const jwks = createLocalJWKSet(keys);
      // IdProo and the floor that stands for it write exactly these; oidc-provider writes its own set.
      const exact = server.kind !== 'oidc-provider';
      return {
        id,
        url: local(server.base, discovery.token_endpoint, 'token_endpoint'),
        method: 'POST',
        headers: { ...form, Authorization: clientAuth },
        body: tokenBody,
        verify: async (status, body) => {
          const token = json(body)?.access_token;
          if (!okStatus(status) || typeof token !== 'string') return { ok: false, note: `${status} ${body.toString('utf8').slice(0, 300)}` };
          const header = decodeJwtPart(token, 0);
          const payload = decodeJwtPart(token, 1);
          const shape = `${status}, JWT header ${JSON.stringify(header)}, claims ${Object.keys(payload ?? {}).join(' ')}, ${token.length} chars`;
          try {
            // A verifier's view (RFC 9068 §4): signature against the published keys, typ, issuer, audience.
            await jwtVerify(token, jwks, { algorithms: [alg], typ: 'at+jwt', issuer: String(discovery.issuer), audience: 'urn:bench:api', requiredClaims: ['exp', 'iat', 'jti', 'client_id', 'scope'] });
          } catch (error) {
            return { ok: false, note: `does not verify: ${(error as Error).message}; ${shape}` };
          }
          if (payload?.client_id !== 'bench' || payload.scope !== 'api') return { ok: false, note: `wrong client_id or scope; ${shape}` };
          if (exact) {
            const headerMembers = Object.keys(header ?? {}).join(' ');
            const claims = Object.keys(payload).join(' ');
            if (headerMembers !== 'alg kid typ' || claims !== accessTokenClaims) return { ok: false, note: `expected header "alg kid typ" and claims "${accessTokenClaims}"; ${shape}` };
          }
          return { ok: true, note: `verifies; ${shape}` };
        },
      };
    }
    case 'introspection': {
      // The token to introspect is a reference (opaque) token: IdProo's "bench-ref" client issues those and
      // the caller is the API resource itself (client_id "urn:bench:api", form-encoded in Basic, RFC 6749
      // §2.3.1). oidc-provider's main mode issues opaque tokens to "bench"; its caller is client "bench-rs".
      const tokenAuth = server.kind === 'idproo' ? basicAuth('bench-ref', 'bench-secret') : clientAuth;
      const tokenRes = await send(local(server.base, discovery.token_endpoint, 'token_endpoint'), {
        method: 'POST',
        headers: { ...form, Authorization: tokenAuth },
        body: tokenBody,
      });
      const token = json(tokenRes.body)?.access_token;
      if (!okStatus(tokenRes.status) || typeof token !== 'string') {
        throw new Error(`could not get a reference token (${tokenRes.status}): ${tokenRes.body.toString('utf8').slice(0, 300)}`);
      }
      if (token.split('.').length === 3) throw new Error(`expected a reference (opaque) token, got a JWT: ${token.slice(0, 60)}...`);
      const callerAuth = server.kind === 'idproo' ? basicAuth('urn:bench:api', 'api-secret') : basicAuth('bench-rs', 'bench-rs-secret');
      return {
        id,
        url: local(server.base, discovery.introspection_endpoint, 'introspection_endpoint'),
        method: 'POST',
        headers: { ...form, Authorization: callerAuth },
        body: `token=${encodeURIComponent(token)}&token_type_hint=access_token`,
        verify: (status, body) => {
          const doc = json(body);
          return { ok: okStatus(status) && doc?.active === true, note: `${status} ${body.toString('utf8').slice(0, 300)}` };
        },
      };
    }
  }
}

/** The user and client of the interactive cases, the same on every server (bench/idproo.interactive.json). */
function flowTarget(server: ServerHandle, discovery: Record<string, unknown>, variant: ClientVariant, light = false): FlowTarget {
  const op = server.kind === 'oidc-provider';
  return {
    base: server.base,
    issuer: String(discovery.issuer),
    authorizationEndpoint: local(server.base, discovery.authorization_endpoint, 'authorization_endpoint'),
    tokenEndpoint: local(server.base, discovery.token_endpoint, 'token_endpoint'),
    clientId: variant === 'reference' && !op ? 'web-ref' : 'web',
    clientSecret: 'web-secret',
    redirectUri: 'https://app.example.com/cb',
    scope: 'openid profile email offline_access',
    // oidc-provider drops offline_access unless the request asks for consent (OIDC Core §11); its
    // interaction grants the scopes in the same step as the sign-in, so this costs no extra page.
    extraParams: op ? { prompt: 'consent' } : {},
    // bench-light: the same user with an argon2id hash of m=64 KiB, t=1 (microseconds): the flow without its hash.
    username: light ? 'bench-light' : 'bench',
    password: 'bench password 1234',
  };
}


async function prepareInteractive(
  server: ServerHandle,
  id: 'flow' | 'flow-light' | 'refresh' | 'userinfo',
  discovery: Record<string, unknown>,
  settings: InteractiveSettings,
  variant: ClientVariant,
): Promise<PreparedCase> {
  const target = flowTarget(server, discovery, variant, id === 'flow-light');
  const expectedSubject = id === 'flow-light' ? 'bench-user-2' : 'bench-user-1';
  const userinfoUrl = local(server.base, discovery.userinfo_endpoint ?? `${String(discovery.issuer)}/connect/userinfo`, 'userinfo_endpoint');
  const keys = json((await send(local(server.base, discovery.jwks_uri, 'jwks_uri'))).body) as JSONWebKeySet | undefined;
  if (!keys || !Array.isArray(keys.keys)) throw new Error('the JWKS is not a key set');
  const jwks = createLocalJWKSet(keys);
  const concurrency = id === 'flow' || id === 'flow-light' ? settings.flowConcurrency : id === 'refresh' ? settings.refreshConcurrency : 2;
  const client = new HttpClient(concurrency);
  const base = { id, url: target.tokenEndpoint, method: 'POST' as const, headers: {}, verify: () => ({ ok: false, note: 'driven case' }), close: () => client.close() };

  /** One full flow, its ID token verified as a client would (OIDC Core §3.1.3.7) and UserInfo read with its access token. */
  const checkFlow = async (): Promise<Verdict> => {
    const t0 = performance.now();
    const tokens = await codeFlow(client, target);
    const ms = performance.now() - t0;
    if (typeof tokens.id_token !== 'string' || typeof tokens.refresh_token !== 'string') return { ok: false, note: `no id_token or refresh_token: ${Object.keys(tokens).join(' ')}` };
    try {
      const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: target.issuer, audience: target.clientId, algorithms: ['ES256', 'RS256'] });
      if (payload.nonce !== tokens.nonce || payload.sub !== expectedSubject) return { ok: false, note: `ID token nonce or sub wrong: ${JSON.stringify(payload)}` };
    } catch (error) {
      return { ok: false, note: `ID token does not verify: ${(error as Error).message}` };
    }
    const info = await send(userinfoUrl, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    const claims = json(info.body);
    if (info.status !== 200 || claims?.sub !== expectedSubject || claims.email !== 'bench@example.com') return { ok: false, note: `userinfo ${info.status} ${info.body.toString('utf8').slice(0, 200)}` };
    const kind = tokens.access_token.split('.').length === 3 ? 'JWT' : 'opaque';
    return { ok: true, note: `one flow in ${ms.toFixed(0)} ms; ID token ${decodeJwtPart(tokens.id_token, 0)?.alg as string} verifies, ${kind} access token (${tokens.access_token.length} chars) reads userinfo` };
  };

  switch (id) {
    case 'flow':
    case 'flow-light':
      return { ...base, check: checkFlow, drive: (seconds) => flowLoad(client, target, concurrency, seconds) };
    case 'refresh': {
      // The pool: one refresh token chain per worker, each from a full flow; kept across warm-up and rounds.
      const pool = new RefreshPool(await refreshTokens(client, target, concurrency, 4));
      const check = async (): Promise<Verdict> => {
        const flow = await checkFlow();
        if (!flow.ok) return flow;
        const [first] = await refreshTokens(client, target, 1, 1);
        const once = await refresh(client, target, first!);
        const next = once.json?.refresh_token;
        if (once.status !== 200 || typeof next !== 'string' || next === first) return { ok: false, note: `refresh did not rotate: ${once.status} ${once.body.slice(0, 200)}` };
        const again = await refresh(client, target, next);
        if (again.status !== 200) return { ok: false, note: `the rotated token was refused: ${again.status} ${again.body.slice(0, 200)}` };
        return { ok: true, note: `rotates (new refresh token each time), answers ${Object.keys(again.json ?? {}).sort().join(' ')}; pool of ${pool.alive} chains` };
      };
      // A chain whose refresh fails counts as an error and stops; the others go on.
      return { ...base, check, drive: (seconds) => pool.load(client, target, seconds) };
    }
    case 'userinfo': {
      const tokens = await codeFlow(client, target);
      client.close();
      return {
        id,
        url: userinfoUrl,
        method: 'GET',
        headers: { Authorization: `Bearer ${tokens.access_token}` },
        verify: (status, body) => {
          const claims = json(body);
          const kind = tokens.access_token.split('.').length === 3 ? 'JWT' : 'opaque';
          return { ok: status === 200 && claims?.sub === expectedSubject && claims.email === 'bench@example.com', note: `${status}, ${kind} access token, ${body.toString('utf8').slice(0, 160)}` };
        },
      };
    }
  }
}

/** Sends the prepared request once and verifies the answer. */
export async function precheck(prepared: PreparedCase): Promise<Verdict> {
  if (prepared.check) return prepared.check();
  const res = await send(prepared.url, { method: prepared.method, headers: prepared.headers, ...(prepared.body !== undefined ? { body: prepared.body } : {}) });
  return prepared.verify(res.status, res.body);
}
