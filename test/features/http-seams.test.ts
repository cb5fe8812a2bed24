import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, request as tlsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EndpointRequest } from '../../src/endpoints/types.ts';
import { jsonResponse } from '../../src/endpoints/types.ts';
import { bearerChallenge, jsonErrors } from '../../src/errors/error-response.ts';
import { OAuthError } from '../../src/errors/oauth-error.ts';
import { createRequestHandler, type Route } from '../../src/http/handler.ts';
import { silentLogger } from '../../src/util/logger.ts';
import { rawRequest } from './hostile-support.ts';

/** What the endpoints of the next issues read of a request: query, cookies, address, client certificate. */
const echo = (request: EndpointRequest) =>
  jsonResponse({
    query: request.readQuery(),
    session: request.cookie('session') ?? null,
    lang: request.cookie('lang') ?? null,
    remoteAddress: request.remoteAddress ?? null,
    certificate: request.clientCertificate?.subject ?? null,
  });

const routes: Route[] = [
  { path: '/echo', methods: ['GET'], endpoint: echo },
  {
    path: '/cookies',
    methods: ['GET'],
    endpoint: () => ({ status: 200, headers: { 'set-cookie': ['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly'] }, body: '' }),
  },
  {
    path: '/bearer',
    methods: ['GET'],
    endpoint: () => {
      throw new OAuthError('invalid_token', 'the access token is not valid');
    },
    errors: jsonErrors(bearerChallenge),
  },
  {
    path: '/page',
    methods: ['GET'],
    endpoint: () => {
      throw new Error('boom');
    },
    errors: (error) => ({ status: error.status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<p>${error.code}</p>` }),
  },
];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('what an endpoint can read of a request and say in its answer', () => {
  const handler = createRequestHandler(routes, { logger: silentLogger, events: { emit() {} }, maxBodyBytes: 1024 });
  const server = createServer((req, res) => handler(req, res));
  let base: string;
  let port: number;
  before(async () => {
    port = await listen(server);
    base = `http://127.0.0.1:${port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reads the query string as ordered pairs, repeats kept, percent-encoded UTF-8 decoded', async () => {
    const body = (await (await fetch(`${base}/echo?a=1&b=%C3%A9+x&a=2&empty=`)).json()) as Record<string, unknown>;
    assert.deepEqual(body.query, [['a', '1'], ['b', 'é x'], ['a', '2'], ['empty', '']]);
  });

  it('a raw non-ASCII byte in the request target is refused by the HTTP parser (RFC 3986 §2: it must be percent-encoded)', async () => {
    const answer = await rawRequest(port, Buffer.concat([Buffer.from('GET /echo?name='), Buffer.from('é', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]));
    assert.equal(answer.status, 400);
  });

  for (const [label, query] of [
    ['a broken percent-encoding', 'a=%zz'],
    ['a percent-encoded sequence that is not UTF-8', 'a=%C0%AF'],
  ] as const) {
    it(`a query with ${label} → 400 invalid_request`, async () => {
      const response = await fetch(`${base}/echo?${query}`);
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as Record<string, string>).error, 'invalid_request');
    });
  }

  it('reads cookies by name: quotes dropped, the first of a repeated name wins, others undefined', async () => {
    const response = await fetch(`${base}/echo`, { headers: { cookie: 'other=x; session="abc.def"; session=second; lang=id' } });
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.session, 'abc.def');
    assert.equal(body.lang, 'id');
    assert.equal(((await (await fetch(`${base}/echo`)).json()) as Record<string, unknown>).session, null);
  });

  it('knows the address the connection came from, and no certificate on plain HTTP', async () => {
    const body = (await (await fetch(`${base}/echo`)).json()) as Record<string, unknown>;
    assert.equal(body.remoteAddress, '127.0.0.1');
    assert.equal(body.certificate, null);
  });

  it('sends each Set-Cookie of a list on its own line (RFC 6265 §3)', async () => {
    const response = await fetch(`${base}/cookies`);
    assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
  });

  it('a route that says so answers its errors with a Bearer challenge (RFC 6750 §3)', async () => {
    const response = await fetch(`${base}/bearer`);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="idproo", error="invalid_token", error_description="the access token is not valid"');
  });

  it('a route with its own presenter answers every failure through it: unexpected errors and wrong methods alike', async () => {
    const failed = await fetch(`${base}/page`);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await failed.text(), '<p>server_error</p>');
    const wrongMethod = await fetch(`${base}/page`, { method: 'POST' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(await wrongMethod.text(), '<p>invalid_request</p>');
  });
});

describe('the client certificate on a TLS connection (RFC 8705)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idproo-tls-'));
  const file = (name: string) => join(dir, name);
  let port: number;
  let server: ReturnType<typeof createTlsServer>;

  before(async () => {
    // Self-signed server and client certificates made for this run by the openssl on the machine.
    for (const [name, subject, extra] of [
      ['server', '/CN=127.0.0.1', ['-addext', 'subjectAltName=IP:127.0.0.1']],
      ['client', '/CN=billing-job/O=Example', []],
    ] as const) {
      const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', subject, ...extra];
      execFileSync('openssl', [...args, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`)], { stdio: 'ignore' });
    }
    const handler = createRequestHandler(routes, { logger: silentLogger, events: { emit() {} }, maxBodyBytes: 1024 });
    // RFC 8705 §2.2: self-signed client certificates are allowed, so the TLS layer asks for one but does not judge it.
    server = createTlsServer({ key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), requestCert: true, rejectUnauthorized: false }, (req, res) => handler(req, res));
    port = await listen(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (clientCert: boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = tlsRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/echo',
          ca: readFileSync(file('server.pem')),
          ...(clientCert ? { key: readFileSync(file('client.key')), cert: readFileSync(file('client.pem')) } : {}),
          agent: false,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('is the one the client presented', async () => {
    assert.equal((await get(true)).certificate, 'CN=billing-job\nO=Example');
  });

  it('is undefined when the client presented none', async () => {
    assert.equal((await get(false)).certificate, null);
  });
});
