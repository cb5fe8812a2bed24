/** The measured requests, per server, with a pre-check of one response before any load. */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { basicAuth, decodeJwtPart, send } from './http.ts';
import type { ServerHandle } from './servers.ts';

export type CaseId = 'discovery' | 'jwks' | 'cc-es256' | 'cc-rs256' | 'introspection';

export const caseLabels: Record<CaseId, string> = {
  discovery: 'discovery',
  jwks: 'jwks',
  'cc-es256': 'client_credentials ES256 JWT',
  'cc-rs256': 'client_credentials RS256 JWT',
  introspection: 'introspection (reference)',
};

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

export async function prepareCase(server: ServerHandle, id: CaseId): Promise<PreparedCase> {
  const discoveryUrl = `${server.base}/.well-known/openid-configuration`;
  const discovery = json((await send(discoveryUrl)).body) ?? {};
  switch (id) {
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

/** Sends the prepared request once and verifies the answer. */
export async function precheck(prepared: PreparedCase): Promise<Verdict> {
  const res = await send(prepared.url, { method: prepared.method, headers: prepared.headers, ...(prepared.body !== undefined ? { body: prepared.body } : {}) });
  return prepared.verify(res.status, res.body);
}
