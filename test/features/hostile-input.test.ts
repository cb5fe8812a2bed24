import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, postForm, startTestServer, testConfig, type TestServer } from '../support/server.ts';
import {
  assertError,
  jwtPayload,
  pause,
  rawRequest,
  recordingLogger,
  recordingStores,
  send,
  type Answer,
  type LogEntry,
} from './hostile-support.ts';

/**
 * Hostile and malformed requests against a real HTTP server: each answer is pinned (status, RFC
 * error code, JSON shape, caching, challenge), and rejected requests are shown to change nothing.
 * docs/errors.md lists every case with the name of its test.
 */

const form = 'application/x-www-form-urlencoded';
const serviceAuth = basic('service', 'service-secret');
const referenceAuth = basic('reference-service', 'reference-secret');
const invoicesApiAuth = basic('urn:invoices', 'invoices-secret');
const ordersApiAuth = basic('https://orders.example.com', 'orders-secret');

let server: TestServer;
let port: number;
let writes: string[];
let logEntries: LogEntry[];
let tokenUrl: string;
let introspectUrl: string;
let revokeUrl: string;
let discoveryUrl: string;
let jwksUrl: string;

before(async () => {
  const recorded = recordingStores();
  const recorder = recordingLogger();
  writes = recorded.writes;
  logEntries = recorder.entries;
  server = await startTestServer({ config: testConfig(), stores: recorded.stores, logger: recorder.logger });
  port = Number(new URL(server.issuer).port);
  tokenUrl = `${server.issuer}/connect/token`;
  introspectUrl = `${server.issuer}/connect/introspect`;
  revokeUrl = `${server.issuer}/connect/revocation`;
  discoveryUrl = `${server.issuer}/.well-known/openid-configuration`;
  jwksUrl = `${server.issuer}/.well-known/openid-configuration/jwks`;
});
after(() => server.close());

/** A token request with the `service` client's Basic credentials unless others are given. */
const token = (body: string | Record<string, string>, headers: Record<string, string> = { authorization: serviceAuth }) => postForm(tokenUrl, body, headers);

/**
 * Runs a request whose client hangs up mid-request and drops what it logged: Node reports the cut as
 * a request error, which is pinned once, by its own test, rather than in every such test.
 */
async function forgettingLogs<T>(request: () => Promise<T>): Promise<T> {
  const before = logEntries.length;
  try {
    const result = await request();
    await pause(50);
    return result;
  } finally {
    logEntries.length = before;
  }
}

/** Runs `request` and fails if it wrote to the grant or revocation store. */
async function withoutWrites<T>(request: () => Promise<T>): Promise<T> {
  const before = writes.length;
  const result = await request();
  assert.deepEqual(writes.slice(before), [], 'a rejected request must not change the store');
  return result;
}

function assertTokenResponse(answer: Answer): Record<string, unknown> {
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  assert.equal(typeof body.access_token, 'string');
  assert.equal(body.token_type, 'Bearer');
  return body;
}

const rawPost = (path: string, headers: string[], body: string | Buffer = '') =>
  Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1'), Buffer.from(body)]);

describe('token endpoint: method and media type', () => {
  it('GET on token → 405 invalid_request, Allow: POST', async () => {
    assertError(await send(tokenUrl), 405, 'invalid_request', { allow: 'POST' });
  });

  it('PUT on token → 405 invalid_request, Allow: POST', async () => {
    const answer = await send(tokenUrl, { method: 'PUT', headers: { 'content-type': form, authorization: serviceAuth }, body: 'grant_type=client_credentials' });
    assertError(answer, 405, 'invalid_request', { allow: 'POST' });
  });

  it('HEAD on token → 405, Allow: POST, no body', async () => {
    const answer = await rawRequest(port, `HEAD /connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, { head: true });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('allow'), 'POST');
    assert.equal(answer.text, '');
  });

  it('OPTIONS on token → 405 (no CORS on the token endpoint)', async () => {
    const answer = await send(tokenUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assertError(answer, 405, 'invalid_request', { allow: 'POST' });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });

  for (const [label, contentType] of [
    ['application/json', 'application/json'],
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ['a look-alike (application/x-www-form-urlencodedx)', 'application/x-www-form-urlencodedx'],
  ] as const) {
    it(`Content-Type ${label} → 400 invalid_request`, async () => {
      const answer = await withoutWrites(() => send(tokenUrl, { method: 'POST', headers: { 'content-type': contentType, authorization: referenceAuth }, body: 'grant_type=client_credentials' }));
      assertError(answer, 400, 'invalid_request');
    });
  }

  it('no Content-Type → 400 invalid_request', async () => {
    // A Uint8Array body makes fetch send no content-type at all.
    const answer = await withoutWrites(() => send(tokenUrl, { method: 'POST', headers: { authorization: referenceAuth }, body: new TextEncoder().encode('grant_type=client_credentials') }));
    assertError(answer, 400, 'invalid_request');
  });

  it('the form media type in other case and with a charset parameter is accepted', async () => {
    const answer = await send(tokenUrl, { method: 'POST', headers: { 'content-type': 'Application/X-WWW-Form-URLEncoded ; charset=UTF-8', authorization: serviceAuth }, body: 'grant_type=client_credentials' });
    assertTokenResponse(answer);
  });

  it('an empty body → 400 invalid_request (grant_type missing)', async () => {
    assertError(await token(''), 400, 'invalid_request');
  });
});

describe('token endpoint: body size (default cap 64 KiB)', () => {
  const cap = 64 * 1024;

  it('a body of exactly the cap is read', async () => {
    const start = 'grant_type=client_credentials&pad=';
    const answer = await token(start + 'a'.repeat(cap - start.length));
    assertTokenResponse(answer);
  });

  it('one byte over the cap with Content-Length → 413 invalid_request', async () => {
    const start = 'grant_type=client_credentials&pad=';
    const answer = await withoutWrites(() => token(start + 'a'.repeat(cap + 1 - start.length), { authorization: referenceAuth }));
    assertError(answer, 413, 'invalid_request');
  });

  it('a declared Content-Length over the cap is refused before any body byte is sent', async () => {
    const answer = await rawRequest(port, rawPost('/connect/token', [`Content-Type: ${form}`, 'Content-Length: 104857600', `Authorization: ${serviceAuth}`]));
    assertError(answer, 413, 'invalid_request');
  });

  it('a chunked body (no Content-Length) over the cap → 413 invalid_request', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(40_000));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const answer = await withoutWrites(() => send(tokenUrl, { method: 'POST', headers: { 'content-type': form, authorization: referenceAuth }, body, duplex: 'half' } as RequestInit));
    assertError(answer, 413, 'invalid_request');
  });

  /** Streams a chunked body without end; reports when the 413 came and whether the server then hung up. */
  function streamHugeChunkedBody(maxBytes: number, lingerMs: number): Promise<{ answer: string; sentBeforeAnswer: number; closedByServer: boolean }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let answer = '';
      let sent = 0;
      let sentBeforeAnswer = -1;
      let closedByServer = false;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        socket.destroy();
        resolve({ answer, sentBeforeAnswer, closedByServer });
      };
      socket.on('data', (data: Buffer) => {
        answer += data.toString('latin1');
        if (sentBeforeAnswer === -1) {
          sentBeforeAnswer = sent;
          setTimeout(finish, lingerMs);
        }
      });
      socket.on('error', () => {});
      socket.on('end', () => (closedByServer = true));
      socket.on('close', () => {
        closedByServer = true;
        finish();
      });
      socket.write(`POST /connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${form}\r\nTransfer-Encoding: chunked\r\nAuthorization: ${serviceAuth}\r\n\r\n`);
      const pump = () => {
        while (!done && !closedByServer && sent < maxBytes) {
          socket.write(`${chunk.length.toString(16)}\r\n`);
          socket.write(chunk);
          sent += chunk.length;
          if (!socket.write('\r\n')) return void socket.once('drain', pump);
        }
        if (sent >= maxBytes && sentBeforeAnswer === -1) finish();
      };
      pump();
    });
  }

  it('a huge chunked upload gets its 413 long before the upload ends', async () => {
    const { answer, sentBeforeAnswer } = await streamHugeChunkedBody(64 * 1024 * 1024, 0);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /"error":"invalid_request"/);
    // The cap is 64 KiB; what else was sent sat in socket buffers (about 4 MiB on loopback here), so
    // "long before" is under 16 MiB of the 64.
    assert.ok(sentBeforeAnswer >= 0 && sentBeforeAnswer < 16 * 1024 * 1024, `answered after ${sentBeforeAnswer} bytes`);
  });

  it('after the 413 the server closes the connection instead of reading the rest of a huge body', async () => {
    // Otherwise a client may stream without end on a keep-alive connection (until requestTimeout).
    const { answer, closedByServer } = await streamHugeChunkedBody(512 * 1024 * 1024, 2000);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.equal(closedByServer, true, 'the server kept the connection open and went on reading the body');
  });
});

describe('token endpoint: encoding', () => {
  it('bytes that are not UTF-8 → 400 invalid_request', async () => {
    const body = Buffer.concat([Buffer.from('grant_type=client_credentials&scope=invoices.read&x='), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]);
    const answer = await withoutWrites(() => send(tokenUrl, { method: 'POST', headers: { 'content-type': form, authorization: referenceAuth }, body }));
    assertError(answer, 400, 'invalid_request');
  });

  it('Latin-1 bytes sent with charset=iso-8859-1 → 400 invalid_request (bodies are UTF-8 only)', async () => {
    const body = Buffer.from('grant_type=client_credentials&x=caf\xe9', 'latin1');
    const answer = await send(tokenUrl, { method: 'POST', headers: { 'content-type': `${form}; charset=iso-8859-1`, authorization: serviceAuth }, body });
    assertError(answer, 400, 'invalid_request');
  });

  for (const [label, body] of [
    ['%zz', 'grant_type=client_credentials&scope=%zz'],
    ['%C3%28 (percent-encoded bytes that are not UTF-8)', 'grant_type=client_credentials%C3%28'],
    ['a lone % at the end', 'grant_type=client_credentials&scope=invoices.read%'],
    ['a percent-encoded UTF-16 surrogate (%ED%A0%80)', 'grant_type=client_credentials&x=%ED%A0%80'],
    ['bad percent-encoding in a parameter name', 'grant_type=client_credentials&%G0=1'],
  ] as const) {
    it(`invalid percent-encoding: ${label} → 400 invalid_request`, async () => {
      assertError(await withoutWrites(() => token(body, { authorization: referenceAuth })), 400, 'invalid_request');
    });
  }

  it('a percent-encoded NUL is a character like any other → unsupported_grant_type', async () => {
    assertError(await token('grant_type=client_credentials%00'), 400, 'unsupported_grant_type');
  });

  it('+ is a space in values (scope=a+b requests two scopes)', async () => {
    const body = assertTokenResponse(await token('grant_type=client_credentials&scope=invoices.read+invoices.write'));
    assert.equal(body.scope, 'invoices.read invoices.write');
  });

  it('binary garbage → 400 invalid_request', async () => {
    // Deterministic pseudo-random bytes (a 32-bit LCG) with 0xFF at the start, so never UTF-8.
    const bytes = Buffer.alloc(4096);
    let state = 0x1234567;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
    bytes[0] = 0xff;
    const answer = await withoutWrites(() => send(tokenUrl, { method: 'POST', headers: { 'content-type': form, authorization: referenceAuth }, body: bytes }));
    assertError(answer, 400, 'invalid_request');
  });

  it('control-character garbage that is valid UTF-8 → 400 invalid_request (no grant_type)', async () => {
    const answer = await withoutWrites(() => token('\u0000\u0001\u0002=\u007f&&&==&=\u0000\r\n\t', { authorization: referenceAuth }));
    assertError(answer, 400, 'invalid_request');
  });
});

describe('token endpoint: parameters', () => {
  it('missing grant_type → 400 invalid_request', async () => {
    assertError(await token({ scope: 'invoices.read' }), 400, 'invalid_request');
  });

  it('an empty grant_type is treated as omitted → 400 invalid_request', async () => {
    assertError(await token('grant_type=&scope=invoices.read'), 400, 'invalid_request');
  });

  for (const [name, body, auth] of [
    ['grant_type', 'grant_type=client_credentials&grant_type=client_credentials', referenceAuth],
    ['scope', 'grant_type=client_credentials&scope=invoices.read&scope=orders', referenceAuth],
    ['client_id', 'grant_type=client_credentials&client_id=reference-service&client_id=reference-service&client_secret=reference-secret', undefined],
    ['client_secret', 'grant_type=client_credentials&client_id=reference-service&client_secret=reference-secret&client_secret=reference-secret', undefined],
  ] as const) {
    it(`a duplicated ${name} → 400 invalid_request`, async () => {
      const answer = await withoutWrites(() => token(body, auth ? { authorization: auth } : {}));
      assertError(answer, 400, 'invalid_request');
    });
  }

  it('an empty duplicate is treated as omitted, not as a repetition', async () => {
    assertTokenResponse(await token('grant_type=&grant_type=client_credentials&scope=&scope=invoices.read'));
  });

  it('an empty scope is treated as omitted: every allowed API scope is granted', async () => {
    const body = assertTokenResponse(await token('grant_type=client_credentials&scope='));
    assert.equal(body.scope, 'invoices.read invoices.write orders');
  });

  it('unknown extra parameters are ignored, even repeated and named like prototype members', async () => {
    const answer = await token('grant_type=client_credentials&foo=1&foo=2&__proto__=x&constructor=y&hasOwnProperty=z&toString=&scope=invoices.read');
    assert.equal(assertTokenResponse(answer).scope, 'invoices.read');
  });

  it('a huge number of parameters (10 000) is answered normally', async () => {
    // Base-36 names keep 10 000 distinct parameters under the 64 KiB cap.
    const extra = Array.from({ length: 10_000 }, (_, i) => `${i.toString(36)}=1`).join('&');
    const answer = await token(`grant_type=client_credentials&${extra}&scope=invoices.read`);
    assertTokenResponse(answer);
  });

  it('10 000 empty ampersand-separated fields → 400 invalid_request (no grant_type)', async () => {
    assertError(await token('&'.repeat(5000) + '='.repeat(5000)), 400, 'invalid_request');
  });

  it('parameters in the query string are not read → 400 invalid_request', async () => {
    const answer = await postForm(`${tokenUrl}?grant_type=client_credentials&client_id=service&client_secret=service-secret`, '');
    assertError(answer, 400, 'invalid_request');
  });

  for (const grantType of ['password', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'CLIENT_CREDENTIALS', 'client_credentials ']) {
    it(`unknown grant_type ${JSON.stringify(grantType)} → 400 unsupported_grant_type`, async () => {
      assertError(await token({ grant_type: grantType }), 400, 'unsupported_grant_type');
    });
  }

  it('authorization_code with a code that was never issued → 400 invalid_grant', async () => {
    const answer = await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://app.example.com/cb' }, { authorization: basic('interactive', 'interactive-secret') });
    assertError(answer, 400, 'invalid_grant');
  });

  it('client_credentials for a client registered only for authorization_code → 400 unauthorized_client', async () => {
    const answer = await token({ grant_type: 'client_credentials' }, { authorization: basic('interactive', 'interactive-secret') });
    assertError(answer, 400, 'unauthorized_client');
  });
});

describe('token endpoint: client authentication', () => {
  it('no credentials → 401 invalid_client with WWW-Authenticate', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, {}), 401, 'invalid_client');
  });

  it('wrong secret with Basic → 401 invalid_client', async () => {
    assertError(await withoutWrites(() => token({ grant_type: 'client_credentials' }, { authorization: basic('reference-service', 'wrong') })), 401, 'invalid_client');
  });

  it('wrong secret in the body → 401 invalid_client', async () => {
    const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', client_id: 'reference-service', client_secret: 'wrong' }, {}));
    assertError(answer, 401, 'invalid_client');
  });

  it('an empty secret with Basic → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: basic('service', '') }), 401, 'invalid_client');
  });

  it('unknown client → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: basic('nobody', 'service-secret') }), 401, 'invalid_client');
  });

  it('disabled client with its right secret → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: basic('disabled', 'disabled-secret') }), 401, 'invalid_client');
  });

  it('a confidential client sending client_id only → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials', client_id: 'service' }, {}), 401, 'invalid_client');
  });

  it('an API resource name and secret are not client credentials → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: invoicesApiAuth }), 401, 'invalid_client');
  });

  it('Basic and client_secret in the body → 400 invalid_request', async () => {
    const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', client_id: 'reference-service', client_secret: 'reference-secret' }, { authorization: referenceAuth }));
    assertError(answer, 400, 'invalid_request');
  });

  it('Basic and a client_secret in the body without client_id → 400 invalid_request', async () => {
    // RFC 6749 §2.3: one authentication method per request; a body secret is a second one even without client_id.
    const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', client_secret: 'reference-secret' }, { authorization: referenceAuth }));
    assertError(answer, 400, 'invalid_request');
  });

  it('Basic and a different client_id in the body → 400 invalid_request', async () => {
    const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', client_id: 'service' }, { authorization: referenceAuth }));
    assertError(answer, 400, 'invalid_request');
  });

  it('Basic and the same client_id in the body → 200', async () => {
    assertTokenResponse(await token({ grant_type: 'client_credentials', client_id: 'service' }));
  });

  for (const [label, authorization] of [
    ['not base64', 'Basic !!!not-base64!!!'],
    ['base64 with no colon', `Basic ${Buffer.from('service').toString('base64')}`],
    ['an empty client id', `Basic ${Buffer.from(':service-secret').toString('base64')}`],
    ['nothing after the scheme', 'Basic '],
    ['bad percent-encoding in the id', `Basic ${Buffer.from('serv%zzice:service-secret').toString('base64')}`],
    ['bytes that are not UTF-8', `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x61]).toString('base64')}`],
    ['the scheme alone', 'Basic'],
  ] as const) {
    it(`malformed Basic (${label}) → 401 invalid_client`, async () => {
      assertError(await token({ grant_type: 'client_credentials' }, { authorization }), 401, 'invalid_client');
    });
  }

  it('another scheme (Bearer) is not client authentication → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: 'Bearer abc.def.ghi' }), 401, 'invalid_client');
  });

  it('the Basic scheme name is case-insensitive → 200', async () => {
    assertTokenResponse(await token({ grant_type: 'client_credentials' }, { authorization: serviceAuth.replace('Basic', 'bAsIc') }));
  });

  it('Basic credentials of 10 KB → 401 invalid_client', async () => {
    assertError(await token({ grant_type: 'client_credentials' }, { authorization: basic('x'.repeat(5000), 'y'.repeat(5000)) }), 401, 'invalid_client');
  });

  it('client_secret_post → 200', async () => {
    assertTokenResponse(await token({ grant_type: 'client_credentials', client_id: 'service', client_secret: 'service-secret' }, {}));
  });

  it('special characters form-urlencoded in Basic (encodeURIComponent) → 200', async () => {
    const body = assertTokenResponse(await token({ grant_type: 'client_credentials' }, { authorization: basic('weird:id%', 's3cret:with/colon+plus %') }));
    assert.equal(jwtPayload(String(body.access_token)).client_id, 'weird:id%');
  });

  it('special characters form-urlencoded in Basic (+ for space, as HTML forms encode) → 200', async () => {
    const encoded = `${new URLSearchParams({ a: 'weird:id%' }).toString().slice(2)}:${new URLSearchParams({ a: 's3cret:with/colon+plus %' }).toString().slice(2)}`;
    assert.match(encoded, /\+%25$/);
    assertTokenResponse(await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(encoded).toString('base64')}` }));
  });

  it('special characters sent raw in Basic (not form-urlencoded) → 401 invalid_client', async () => {
    const authorization = `Basic ${Buffer.from('weird:id%:s3cret:with/colon+plus %').toString('base64')}`;
    assertError(await token({ grant_type: 'client_credentials' }, { authorization }), 401, 'invalid_client');
  });

  it('special characters with client_secret_post → 200', async () => {
    assertTokenResponse(await token({ grant_type: 'client_credentials', client_id: 'weird:id%', client_secret: 's3cret:with/colon+plus %' }, {}));
  });
});

describe('token endpoint: scope (RFC 6749 §3.3)', () => {
  for (const [label, scope, auth] of [
    ['unknown (invoices.delete)', 'invoices.delete', referenceAuth],
    ['not allowed for the client (invoices.write)', 'invoices.write', referenceAuth],
    ['openid (an identity scope, although allowed)', 'openid', referenceAuth],
    ['profile among API scopes (an identity scope)', 'invoices.read profile', referenceAuth],
    ['offline_access', 'invoices.read offline_access', referenceAuth],
    ['with a double space', 'invoices.read  orders', referenceAuth],
    ['with a leading space', ' invoices.read', referenceAuth],
    ['with a trailing space', 'invoices.read ', referenceAuth],
    ['with a double quote', 'invoices.read"', referenceAuth],
    ['with a backslash', 'invoices\\read', referenceAuth],
    ['with a tab', 'invoices.read\torders', referenceAuth],
    ['with a non-ASCII character', 'invoices.réad', referenceAuth],
    ['with a NUL', 'invoices.read\u0000', referenceAuth],
  ] as const) {
    it(`scope ${label} → 400 invalid_scope`, async () => {
      const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', scope }, { authorization: auth }));
      assertError(answer, 400, 'invalid_scope');
    });
  }

  it('a scope listed twice in one parameter is granted once', async () => {
    assert.equal(assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read invoices.read' })).scope, 'invoices.read');
  });
});

describe('token endpoint: resource (RFC 8707)', () => {
  for (const [label, resource] of [
    ['a relative reference', 'invoices'],
    ['an absolute URI with a fragment', 'urn:invoices#x'],
    ['an unknown absolute URI', 'https://unknown.example.com'],
    ['a known API that offers none of the granted scopes', 'https://orders.example.com'],
    ['a near miss of a known API (trailing slash)', 'https://orders.example.com/'],
  ] as const) {
    it(`resource that is ${label} → 400 invalid_target`, async () => {
      const answer = await withoutWrites(() => token({ grant_type: 'client_credentials', scope: 'invoices.read', resource }, { authorization: referenceAuth }));
      assertError(answer, 400, 'invalid_target');
    });
  }

  it('repeated resource parameters are allowed: the token is for both', async () => {
    const body = 'grant_type=client_credentials&scope=invoices.read+orders&resource=urn%3Ainvoices&resource=https%3A%2F%2Forders.example.com';
    const payload = jwtPayload(String(assertTokenResponse(await token(body)).access_token));
    assert.deepEqual(payload.aud, ['urn:invoices', 'https://orders.example.com']);
  });

  it('one resource among several scopes narrows the token to that resource', async () => {
    const body = 'grant_type=client_credentials&scope=invoices.read+orders&resource=urn%3Ainvoices';
    const answer = assertTokenResponse(await token(body));
    assert.equal(answer.scope, 'invoices.read');
    assert.equal(jwtPayload(String(answer.access_token)).aud, 'urn:invoices');
  });

  it('the same resource twice is one resource', async () => {
    const body = 'grant_type=client_credentials&scope=invoices.read&resource=urn%3Ainvoices&resource=urn%3Ainvoices';
    assert.equal(jwtPayload(String(assertTokenResponse(await token(body)).access_token)).aud, 'urn:invoices');
  });

  it('an empty resource is treated as omitted', async () => {
    assertTokenResponse(await token('grant_type=client_credentials&scope=invoices.read&resource='));
  });
});

describe('error_description character set (RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E only)', () => {
  const allowed = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
  for (const [label, url, body, authorization, status, code] of [
    ['an unknown grant_type with a NUL', '/connect/token', 'grant_type=x%00', referenceAuth, 400, 'unsupported_grant_type'],
    ['an unknown grant_type with a quote, a backslash and non-ASCII', '/connect/token', 'grant_type=%22%5C%C3%A9', referenceAuth, 400, 'unsupported_grant_type'],
    ['a malformed scope', '/connect/token', 'grant_type=client_credentials&scope=a++b', referenceAuth, 400, 'invalid_scope'],
    ['a relative resource', '/connect/token', 'grant_type=client_credentials&scope=invoices.read&resource=invoices', referenceAuth, 400, 'invalid_target'],
    ['an unknown resource with a quote and non-ASCII', '/connect/token', 'grant_type=client_credentials&scope=invoices.read&resource=https%3A%2F%2Fx.example%2F%22%C3%A9', referenceAuth, 400, 'invalid_target'],
    ['Basic credentials with no colon', '/connect/token', 'grant_type=client_credentials', `Basic ${Buffer.from('reference-service').toString('base64')}`, 401, 'invalid_client'],
  ] as const) {
    it(`error_description for ${label} stays within the allowed characters`, async () => {
      const answer = await withoutWrites(() => postForm(`${server.issuer}${url}`, body, { authorization }));
      const error = assertError(answer, status, code);
      assert.match(String(error.error_description), allowed);
    });
  }

  it('error_description for a 60 KB unknown grant_type does not echo it in full', async () => {
    const error = assertError(await token({ grant_type: 'g'.repeat(60_000) }), 400, 'unsupported_grant_type');
    assert.ok(String(error.error_description).length <= 1000, `description of ${String(error.error_description).length} characters`);
  });
});

describe('HTTP framing and transport', () => {
  it('a 12 KB header is read and the request answered normally', async () => {
    assertTokenResponse(await token({ grant_type: 'client_credentials' }, { authorization: serviceAuth, 'x-padding': 'a'.repeat(12 * 1024) }));
  });

  it('headers over 16 KiB → 431 JSON from the parser-error handler before the provider runs', async () => {
    const answer = await rawRequest(port, `GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(answer.status, 431);
    assert.equal(answer.headers.get('connection'), 'close');
    assert.equal(JSON.parse(answer.text).error, 'invalid_request');
  });

  it('a Content-Length shorter than the body: the rest is not a token request → 400, nothing issued', async () => {
    const body = 'grant_type=client_credentials';
    const answer = await forgettingLogs(() => withoutWrites(() => rawRequest(port, rawPost('/connect/token', [`Content-Type: ${form}`, 'Content-Length: 10', `Authorization: ${referenceAuth}`], body))));
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.text, /access_token/);
  });

  it('a Content-Length longer than the body, then the client hangs up → 400 JSON, connection closed, nothing issued', async () => {
    const head = [`Content-Type: ${form}`, 'Content-Length: 100', `Authorization: ${referenceAuth}`];
    const answer = await forgettingLogs(() => withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, 'grant_type=client_credentials'), { halfClose: true })));
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.get('connection'), 'close');
    assert.equal(JSON.parse(answer.text).error, 'invalid_request');
  });

  it('an upload cut short by the client is not logged as an unhandled server error', async () => {
    const before = logEntries.length;
    try {
      await rawRequest(port, rawPost('/connect/token', [`Content-Type: ${form}`, 'Content-Length: 100', `Authorization: ${serviceAuth}`], 'grant_type='), { halfClose: true });
      await pause(100);
      const errors = logEntries.slice(before).filter((entry) => entry.level === 'error');
      assert.deepEqual(errors.map((entry) => entry.msg), [], 'a client that hangs up mid-body is the client’s fault, not a 500');
    } finally {
      logEntries.length = before;
    }
  });

  it('Content-Length and Transfer-Encoding together → 400 from Node, nothing issued', async () => {
    const body = '1d\r\ngrant_type=client_credentials\r\n0\r\n\r\n';
    const head = [`Content-Type: ${form}`, `Content-Length: ${body.length}`, 'Transfer-Encoding: chunked', `Authorization: ${referenceAuth}`];
    const answer = await withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, body)));
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.text, /access_token/);
  });

  it('two different Content-Length headers → 400 from Node, nothing issued', async () => {
    const head = [`Content-Type: ${form}`, 'Content-Length: 29', 'Content-Length: 10', `Authorization: ${referenceAuth}`];
    const answer = await withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, 'grant_type=client_credentials')));
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.text, /access_token/);
  });

  it('a malformed chunk size → 400 from Node, nothing issued', async () => {
    const head = [`Content-Type: ${form}`, 'Transfer-Encoding: chunked', `Authorization: ${referenceAuth}`];
    const answer = await forgettingLogs(() => withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, 'zz\r\ngrant_type=client_credentials\r\n0\r\n\r\n'))));
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.text, /access_token/);
  });

  // RFC 9110 §5.3: lines of a header that is not a list cannot be combined; node:http keeps only the first
  // Authorization or Content-Type line in req.headers, so a second one must be caught from the raw lines.
  // RFC 6749 §5.2: two credentials are more than one authentication.
  describe('a header sent on two lines → 400 invalid_request, nothing issued or changed', () => {
    const body = 'grant_type=client_credentials&scope=invoices.read';
    const headersFor = (repeated: string, length = body.length) => {
      const lines = [`Content-Type: ${form}`, `Content-Length: ${length}`, `Authorization: ${referenceAuth}`];
      return repeated === 'Host' ? [...lines, 'Host: other.example'] : [...lines, lines.find((line) => line.startsWith(`${repeated}:`))!];
    };

    for (const repeated of ['Authorization', 'Content-Type', 'Content-Length', 'Host']) {
      it(`token endpoint: ${repeated} twice`, async () => {
        const answer = await withoutWrites(() => rawRequest(port, rawPost('/connect/token', headersFor(repeated), body)));
        assertError(answer, 400, 'invalid_request');
      });
    }

    it('token endpoint: a second Authorization line with other credentials', async () => {
      const head = [`Content-Type: ${form}`, `Content-Length: ${body.length}`, `Authorization: ${referenceAuth}`, `Authorization: ${serviceAuth}`];
      assertError(await withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, body))), 400, 'invalid_request');
    });

    it('token endpoint: the header name in another case on the second line (authorization)', async () => {
      const head = [`Content-Type: ${form}`, `Content-Length: ${body.length}`, `Authorization: ${referenceAuth}`, `authorization: ${referenceAuth}`];
      assertError(await withoutWrites(() => rawRequest(port, rawPost('/connect/token', head, body))), 400, 'invalid_request');
    });

    for (const repeated of ['Authorization', 'Content-Type', 'Content-Length']) {
      it(`revocation endpoint: ${repeated} twice, and the token stays active`, async () => {
        const issued = assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: referenceAuth }));
        const revocation = `token=${String(issued.access_token)}`;
        const answer = await withoutWrites(() => rawRequest(port, rawPost('/connect/revocation', headersFor(repeated, revocation.length), revocation)));
        assertError(answer, 400, 'invalid_request');
        const check = await postForm(introspectUrl, { token: String(issued.access_token) }, { authorization: invoicesApiAuth });
        assert.equal(JSON.parse(check.text).active, true);
      });

      it(`introspection endpoint: ${repeated} twice`, async () => {
        const introspection = 'token=abc';
        const head = headersFor(repeated, introspection.length).map((line) => line.replace(referenceAuth, invoicesApiAuth));
        assertError(await rawRequest(port, rawPost('/connect/introspect', head, introspection)), 400, 'invalid_request');
      });
    }

    it('discovery: Host twice (RFC 9112 §3.2 applies to every request)', async () => {
      const answer = await rawRequest(port, 'GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n');
      assertError(answer, 400, 'invalid_request');
    });

    it('the same request with each header once is served (control)', async () => {
      assertTokenResponse(await rawRequest(port, rawPost('/connect/token', [`Content-Type: ${form}`, `Content-Length: ${body.length}`, `Authorization: ${referenceAuth}`], body)));
    });
  });

  it('an absolute-form request target is served like the origin form (RFC 9112 §3.2.2)', async () => {
    const answer = await rawRequest(port, `GET ${discoveryUrl} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(JSON.parse(answer.text).issuer, server.issuer);
  });
});

describe('introspection endpoint (RFC 7662)', () => {
  const introspect = (body: string | Record<string, string>, headers: Record<string, string> = { authorization: invoicesApiAuth }) =>
    postForm(introspectUrl, body, headers);

  it('introspection without authentication → 401 invalid_client with WWW-Authenticate', async () => {
    assertError(await introspect({ token: 'abc' }, {}), 401, 'invalid_client');
  });

  it('introspection with a wrong API secret → 401 invalid_client', async () => {
    assertError(await introspect({ token: 'abc' }, { authorization: basic('urn:invoices', 'wrong') }), 401, 'invalid_client');
  });

  it('introspection with a wrong client secret → 401 invalid_client', async () => {
    assertError(await introspect({ token: 'abc' }, { authorization: basic('service', 'wrong') }), 401, 'invalid_client');
  });

  it('introspection with malformed Basic → 401 invalid_client', async () => {
    assertError(await introspect({ token: 'abc' }, { authorization: 'Basic %%%' }), 401, 'invalid_client');
  });

  it('introspection without token → 400 invalid_request', async () => {
    assertError(await introspect({ token_type_hint: 'access_token' }), 400, 'invalid_request');
  });

  it('introspection of an empty token (treated as missing) → 400 invalid_request', async () => {
    assertError(await introspect('token='), 400, 'invalid_request');
  });

  it('introspection with a duplicated token → 400 invalid_request', async () => {
    assertError(await introspect('token=a&token=b'), 400, 'invalid_request');
  });

  it('introspection with Content-Type application/json → 400 invalid_request', async () => {
    const answer = await send(introspectUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: invoicesApiAuth }, body: '{"token":"abc"}' });
    assertError(answer, 400, 'invalid_request');
  });

  it('introspection body bytes that are not UTF-8 → 400 invalid_request', async () => {
    const answer = await send(introspectUrl, { method: 'POST', headers: { 'content-type': form, authorization: invoicesApiAuth }, body: Buffer.from([0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x3d, 0xc0, 0xaf]) });
    assertError(answer, 400, 'invalid_request');
  });

  for (const [label, garbage] of [
    ['garbage', 'not-a-token'],
    ['JWT-shaped garbage', 'aaaa.bbbb.cccc'],
    ['a JWT with alg none', `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from('{"client_id":"service","aud":"urn:invoices"}').toString('base64url')}.`],
    ['a 60 KB token', 'x'.repeat(60_000)],
    ['control characters', '\u0000\u0001\r\n'],
  ] as const) {
    it(`introspection of ${label} → 200 {"active":false} exactly`, async () => {
      const answer = await introspect({ token: garbage });
      assert.equal(answer.status, 200);
      assert.equal(answer.text, '{"active":false}');
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json\b/);
    });
  }

  it('introspection of a token for another API’s audience → {"active":false}', async () => {
    const issued = assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'orders' }));
    const mine = await introspect({ token: String(issued.access_token) }, { authorization: ordersApiAuth });
    assert.equal(JSON.parse(mine.text).active, true, 'control: the audience sees it active');
    const answer = await introspect({ token: String(issued.access_token) });
    assert.equal(answer.text, '{"active":false}');
  });

  it('introspection by a client of another client’s reference token → {"active":false}', async () => {
    const issued = assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: referenceAuth }));
    const answer = await introspect({ token: String(issued.access_token) }, { authorization: serviceAuth });
    assert.equal(answer.text, '{"active":false}');
  });

  it('GET on introspection → 405 invalid_request, Allow: POST', async () => {
    assertError(await send(`${introspectUrl}?token=abc`, { headers: { authorization: invoicesApiAuth } }), 405, 'invalid_request', { allow: 'POST' });
  });
});

describe('revocation endpoint (RFC 7009)', () => {
  const revoke = (body: string | Record<string, string>, headers: Record<string, string> = { authorization: referenceAuth }) => postForm(revokeUrl, body, headers);
  const isActive = async (accessToken: string) => JSON.parse((await postForm(introspectUrl, { token: accessToken }, { authorization: invoicesApiAuth })).text).active === true;
  const issueReference = async () => String(assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: referenceAuth })).access_token);

  it('revocation of an unknown token → 200 with an empty body', async () => {
    const answer = await revoke({ token: 'unknown-token' });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  // RFC 7009 §2.1: a token not found under the hint is searched for under every type, so the hint never refuses a token.
  for (const hint of ['foo', 'refresh_token', 'access_token', '%22%C3%A9']) {
    it(`revocation with token_type_hint=${hint} → 200, and the token is inactive`, async () => {
      const accessToken = await issueReference();
      const answer = await revoke(`token=${accessToken}&token_type_hint=${hint}`);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.text, '');
      assert.equal(await isActive(accessToken), false);
    });
  }

  it('revocation with a duplicated token_type_hint → 400 invalid_request, and the token stays active', async () => {
    const accessToken = await issueReference();
    assertError(await withoutWrites(() => revoke(`token=${accessToken}&token_type_hint=access_token&token_type_hint=access_token`)), 400, 'invalid_request');
    assert.equal(await isActive(accessToken), true);
  });

  it('revocation without authentication → 401 invalid_client, and the token stays active', async () => {
    const accessToken = await issueReference();
    assertError(await withoutWrites(() => revoke({ token: accessToken }, {})), 401, 'invalid_client');
    assert.equal(await isActive(accessToken), true);
  });

  it('revocation with client_id alone for a confidential client → 401 invalid_client, and the token stays active', async () => {
    const accessToken = await issueReference();
    assertError(await withoutWrites(() => revoke({ token: accessToken, client_id: 'reference-service' }, {})), 401, 'invalid_client');
    assert.equal(await isActive(accessToken), true);
  });

  it('revocation without token → 400 invalid_request', async () => {
    assertError(await revoke({ token_type_hint: 'access_token' }), 400, 'invalid_request');
  });

  it('revocation of another client’s token → 200, and the token stays active', async () => {
    const accessToken = await issueReference();
    const answer = await withoutWrites(() => revoke({ token: accessToken }, { authorization: serviceAuth }));
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    assert.equal(await isActive(accessToken), true);
  });

  it('revocation by the token’s owner → 200, and the token is inactive', async () => {
    const accessToken = await issueReference();
    const answer = await revoke({ token: accessToken, token_type_hint: 'refresh_token' });
    assert.equal(answer.status, 200);
    assert.equal(await isActive(accessToken), false);
  });

  it('GET on revocation → 405 invalid_request, Allow: POST', async () => {
    assertError(await send(`${revokeUrl}?token=abc`, { headers: { authorization: referenceAuth } }), 405, 'invalid_request', { allow: 'POST' });
  });
});

describe('routing and public metadata', () => {
  for (const [method, path] of [
    ['GET', '/nope'],
    ['POST', '/connect/authorize/'],
    ['GET', '/connect/token/'],
    ['GET', '/.well-known/openid-configuration/../jwks'],
    ['GET', '/%2e%2e/etc/passwd'],
  ] as const) {
    it(`${method} ${path} → 404 not_found JSON`, async () => {
      assertError(await rawRequest(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`), 404, 'not_found');
    });
  }

  it('HEAD on discovery → 200 with no body', async () => {
    const get = await send(discoveryUrl);
    const head = await rawRequest(port, `HEAD /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, { head: true });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(get.text)));
    assert.match(head.headers.get('content-type') ?? '', /^application\/json\b/);
  });

  it('HEAD on jwks → 200 with no body', async () => {
    const head = await rawRequest(port, `HEAD /.well-known/openid-configuration/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, { head: true });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('OPTIONS preflight on discovery → 204 with CORS headers', async () => {
    const answer = await send(discoveryUrl, { method: 'OPTIONS', headers: { origin: 'https://spa.example', 'access-control-request-method': 'GET' } });
    assert.equal(answer.status, 204);
    assert.equal(answer.text, '');
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.match(answer.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
    assert.ok(Number(answer.headers.get('access-control-max-age')) > 0);
  });

  it('OPTIONS preflight on jwks → 204 with CORS headers', async () => {
    const answer = await send(jwksUrl, { method: 'OPTIONS', headers: { origin: 'https://spa.example', 'access-control-request-method': 'GET' } });
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  it('the 204 preflight answer carries no Content-Length (RFC 9110 §8.6)', async () => {
    const answer = await rawRequest(port, `OPTIONS /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://spa.example\r\nAccess-Control-Request-Method: GET\r\n\r\n`, { timeoutMs: 1000 });
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('content-length'), null);
  });

  it('POST on discovery → 405, Allow: GET, HEAD', async () => {
    assertError(await postForm(discoveryUrl, 'a=b'), 405, 'invalid_request', { allow: 'GET, HEAD' });
  });

  it('a query string on discovery is ignored', async () => {
    const answer = await send(`${discoveryUrl}?x=%zz&y`);
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.text).issuer, server.issuer);
  });
});

describe('store', () => {
  it('a series of rejected reference-token requests stores no grant; a valid one stores exactly one', async () => {
    const start = writes.length;
    const bad: Array<Promise<Answer>> = [
      token({ grant_type: 'client_credentials', scope: 'invoices.write' }, { authorization: referenceAuth }),
      token({ grant_type: 'client_credentials', scope: 'invoices.read', resource: 'urn:nope' }, { authorization: referenceAuth }),
      token('grant_type=client_credentials&scope=invoices.read&scope=invoices.read', { authorization: referenceAuth }),
      token({ grant_type: 'client_credentials' }, { authorization: basic('reference-service', 'nope') }),
      token({ grant_type: 'password' }, { authorization: referenceAuth }),
      token('grant_type=client_credentials&%zz', { authorization: referenceAuth }),
    ];
    for (const answer of await Promise.all(bad)) assert.ok(answer.status >= 400, answer.text);
    assert.deepEqual(writes.slice(start), []);
    assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read' }, { authorization: referenceAuth }));
    assert.deepEqual(writes.slice(start), ['storeGrant reference-service']);
  });

  it('no request in this file was answered with a 500 or logged as an unhandled error', () => {
    assert.deepEqual(logEntries.filter((entry) => entry.level === 'error'), []);
  });
});

describe('after all of the above', () => {
  it('the server is still up and answers a valid request', async () => {
    const body = assertTokenResponse(await token({ grant_type: 'client_credentials', scope: 'invoices.read' }));
    const answer = await postForm(introspectUrl, { token: String(body.access_token) }, { authorization: invoicesApiAuth });
    assert.equal(JSON.parse(answer.text).active, true);
    assert.equal((await send(discoveryUrl)).status, 200);
  });
});
