/**
 * The token endpoint's floor: the least a client-credentials token endpoint can do on node:http, in its own
 * process. Usage: node bench/token-floor-server.ts --port <port> --alg ES256|RS256 [--sign pool|main] [--tuned]
 *
 * It reads the form body, checks HTTP Basic credentials ("bench"/"bench-secret") against one precomputed
 * SHA-256 with timingSafeEqual, builds the claims IdProo builds (iss, sub, aud, client_id, scope, jti, iat,
 * nbf, exp) under the header IdProo writes (alg, kid, typ at+jwt), signs them with node:crypto and answers
 * the same JSON with the same headers. Nothing else: no client store, no scope table, no error bodies.
 *
 *  --sign pool (default): node:crypto's asynchronous sign, which runs on libuv's thread pool as jose's
 *                         WebCrypto signing does.
 *  --sign main:           the synchronous sign on the main thread (to measure what the thread-pool hop costs).
 *
 * By default it is written as Node's documentation shows: the secret is hashed with createHash(), and an
 * ES256 signature, which must be r || s in a JWS (RFC 7518 §3.4) where OpenSSL gives DER, is asked of
 * sign() with `{ key, dsaEncoding: 'ieee-p1363' }`.
 *  --tuned:               the two shortcuts IdProo takes instead: a one-shot hash(), and the KeyObject passed
 *                         to sign() bare with the DER signature rewritten here. On Node 24 they save the event
 *                         loop about 25 µs per ES256 token (bench/sign-cost.ts, docs/decisions/0008).
 *
 * It also serves a minimal discovery document and its JWKS so the benchmark finds the token endpoint and
 * can verify what it issues.
 */
import { createHash, generateKeyPairSync, hash, randomFillSync, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    alg: { type: 'string', default: 'ES256' },
    sign: { type: 'string', default: 'pool' },
    tuned: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
const alg = values.alg;
if (!Number.isInteger(port) || port <= 0) throw new Error('--port <port> is required');
if (alg !== 'ES256' && alg !== 'RS256') throw new Error('--alg must be ES256 or RS256');
if (values.sign !== 'pool' && values.sign !== 'main') throw new Error('--sign must be pool or main');
const onPool = values.sign === 'pool';
const tuned = values.tuned;

// The same key types as IdProo's: P-256 for ES256, 2048-bit RSA for RS256; kid = RFC 7638 thumbprint.
const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
// RFC 7638 §3.2: the required members only, in lexicographic order.
const requiredJwk = Object.fromEntries((alg === 'ES256' ? ['crv', 'kty', 'x', 'y'] : ['e', 'kty', 'n']).map((m) => [m, jwk[m]]));
const kid = createHash('sha256').update(JSON.stringify(requiredJwk)).digest('base64url');
const nodeP1363 = alg === 'ES256' && !tuned;
const signKey: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } = nodeP1363 ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;

/** RFC 7518 §3.4: a JWS ECDSA signature is r || s, each left-padded to 32 bytes for P-256, not DER. */
function joseSignature(signature: Buffer): Buffer {
  if (alg !== 'ES256' || nodeP1363) return signature;
  // SEQUENCE { INTEGER r, INTEGER s }; for P-256 every length fits in one byte.
  const out = Buffer.alloc(64);
  let at = 2;
  for (const end of [32, 64]) {
    const length = signature[at + 1]!;
    const value = signature.subarray(at + 2, at + 2 + length);
    const trimmed = value[0] === 0 ? value.subarray(1) : value; // a sign byte, not part of the number
    trimmed.copy(out, end - trimmed.length);
    at += 2 + length;
  }
  return out;
}

const issuer = `http://${values.host}:${port}`;
const tokenPath = '/connect/token';
const jwksPath = '/.well-known/openid-configuration/jwks';
const discovery = JSON.stringify({ issuer, token_endpoint: `${issuer}${tokenPath}`, jwks_uri: `${issuer}${jwksPath}`, grant_types_supported: ['client_credentials'] });
const jwks = JSON.stringify({ keys: [{ ...requiredJwk, kid, alg, use: 'sig' }] });

const clientId = 'bench';
const secretHash = createHash('sha256').update('bench-secret').digest();
const audience = 'urn:bench:api';
const lifetime = 3600;
const encodedHeader = Buffer.from(JSON.stringify({ alg, kid, typ: 'at+jwt' })).toString('base64url');

// jti: 16 random bytes sliced from a pooled block, as IdProo draws them.
const pool = Buffer.alloc(4096);
let offset = pool.length;
function jti(): string {
  if (offset + 16 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 16;
  return pool.toString('base64url', offset - 16, offset);
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };
function answer(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...jsonHeaders, ...extra, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
const refuse = (res: ServerResponse, status: number, error: string) => answer(res, status, JSON.stringify({ error }), { 'cache-control': 'no-store' });

/** True when the Basic header names the one client with the right secret (compared in constant time). */
function authenticated(authorization: string | undefined): boolean {
  if (!authorization?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  // RFC 6749 §2.3.1: both halves are form-urlencoded.
  const formDecode = (value: string) => decodeURIComponent(value.replaceAll('+', ' '));
  try {
    const secret = formDecode(decoded.slice(colon + 1));
    const presented = tuned ? Buffer.from(hash('sha256', secret, 'base64'), 'base64') : createHash('sha256').update(secret).digest();
    return timingSafeEqual(presented, secretHash) && formDecode(decoded.slice(0, colon)) === clientId;
  } catch {
    return false; // malformed percent-encoding
  }
}

function issue(res: ServerResponse, scope: string): void {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, sub: clientId, aud: audience, client_id: clientId, scope, jti: jti(), iat: now, nbf: now, exp: now + lifetime };
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const respond = (signature: Buffer) =>
    answer(res, 200, JSON.stringify({ access_token: `${input}.${joseSignature(signature).toString('base64url')}`, token_type: 'Bearer', expires_in: lifetime, scope }), {
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  if (!onPool) return respond(sign('sha256', Buffer.from(input), signKey));
  sign('sha256', Buffer.from(input), signKey, (error, signature) => (error ? refuse(res, 500, 'server_error') : respond(signature)));
}

function token(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (!authenticated(req.headers.authorization)) return refuse(res, 401, 'invalid_client');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return refuse(res, 400, 'unsupported_grant_type');
    const scope = form.get('scope') ?? 'api';
    if (scope !== 'api') return refuse(res, 400, 'invalid_scope');
    issue(res, scope);
  });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method === 'POST' && path === tokenPath) return token(req, res);
  if (req.method === 'GET' && path === '/.well-known/openid-configuration') return answer(res, 200, discovery);
  if (req.method === 'GET' && path === jwksPath) return answer(res, 200, jwks);
  req.resume();
  answer(res, 404, '{"error":"not_found"}');
});
server.listen(port, values.host, () => {
  console.log(`token floor (${alg}, signing on the ${onPool ? 'thread pool' : 'main thread'}${tuned ? ', tuned' : ''}) listening on ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
