import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createMemoryStores } from '../../src/stores/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { recordingLogger as recordLevels } from '../support/logger.ts';

/** What came back, read the same way whether it came through fetch or a raw socket. */
export interface Answer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/** Any request through fetch, answered as an Answer. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export interface ErrorExpectation {
  /** Token, introspection and revocation errors must not be cached (RFC 6749 §5.2, RFC 7662 §2.3, RFC 7009 §2.2.1). */
  readonly noStore?: boolean;
  readonly allow?: string;
}

/**
 * The shape every error answer must have: the status, JSON, exactly `{error, error_description}`
 * with nothing internal in it, `cache-control: no-store` where asked, and a challenge on 401.
 */
export function assertError(answer: Answer, status: number, code: string, expect: ErrorExpectation = {}): Record<string, unknown> {
  assert.equal(answer.status, status, `status (body: ${answer.text})`);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json\b/);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
  assert.equal(body.error, code, `error code (body: ${answer.text})`);
  assert.equal(typeof body.error_description, 'string');
  // RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E; and no stack trace or path leaks.
  assert.match(String(body.error_description), /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
  assert.doesNotMatch(String(body.error_description), /\bat \S+:\d+|node:internal|\/src\/|\.ts\b|Error:/);
  if (expect.noStore ?? true) {
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('pragma'), 'no-cache');
  }
  if (status === 401) assert.match(answer.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]*"/);
  if (expect.allow !== undefined) assert.equal(answer.headers.get('allow'), expect.allow);
  return body;
}

/** The payload of a JWT, unverified (the tests only read what the server put in). */
export function jwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface RawAnswer extends Answer {
  /** True when the server closed the connection (rather than the test after reading a full answer). */
  readonly closedByServer: boolean;
}

interface RawOptions {
  /** Ends the client's side of the connection after writing (a truncated upload). */
  readonly halfClose?: boolean;
  /** A HEAD request: the answer has no body whatever its content-length says. */
  readonly head?: boolean;
  readonly timeoutMs?: number;
}

function parseHead(buffer: Buffer): { status: number; headers: Map<string, string>; bodyStart: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(' ')[1]), headers, bodyStart: end + 4 };
}

const toAnswer = (status: number, headers: Map<string, string>, text: string, closedByServer: boolean): RawAnswer => ({
  status,
  headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
  text,
  closedByServer,
});

/**
 * Writes bytes fetch cannot send (invalid UTF-8 is fine in fetch, but not a lying Content-Length,
 * a broken chunk, or an absolute-form target) and reads the first answer. Status 0: no answer at all.
 */
export function rawRequest(port: number, data: string | Buffer, options: RawOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const head = parseHead(received);
      if (!head) return resolve(toAnswer(0, new Map(), received.toString('latin1'), closedByServer));
      resolve(toAnswer(head.status, head.headers, received.subarray(head.bodyStart).toString('utf8'), closedByServer));
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const head = parseHead(received);
      if (!head) return;
      const length = options.head ? 0 : head.headers.has('content-length') ? Number(head.headers.get('content-length')) : undefined;
      if (length !== undefined && received.length - head.bodyStart >= length) finish(false);
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    socket.write(data);
    if (options.halfClose) socket.end();
  });
}

/** Resolves after `ms` milliseconds. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Recorded {
  readonly stores: Stores;
  /** Every write that reached the grant or revocation store, in order. */
  readonly writes: string[];
}

/** Memory stores whose grant and revocation writes are recorded, so a rejected request can be shown to have changed nothing. */
export function recordingStores(): Recorded {
  const base = createMemoryStores();
  const writes: string[] = [];
  const { grants, revocations } = base;
  return {
    writes,
    stores: {
      ...base,
      // Every method listed rather than spread, so a write method added to GrantStore cannot slip past
      // unrecorded: the type check asks where it goes. Cleanup is the server's own, not a request's write.
      grants: {
        getGrant: (key) => grants.getGrant(key),
        listGrants: (filter) => grants.listGrants(filter),
        updateGrantData: (key, data, now) => (writes.push('updateGrantData'), grants.updateGrantData(key, data, now)),
        removeExpiredGrants: (now, limit) => grants.removeExpiredGrants(now, limit),
        storeGrant: (grant) => (writes.push(`storeGrant ${grant.clientId}`), grants.storeGrant(grant)),
        removeGrant: (key) => (writes.push('removeGrant'), grants.removeGrant(key)),
        consumeGrant: (key, now) => (writes.push('consumeGrant'), grants.consumeGrant(key, now)),
        rotateGrant: (key, successor, now) => (writes.push(`rotateGrant ${successor.clientId}`), grants.rotateGrant(key, successor, now)),
        removeGrants: (filter) => (writes.push('removeGrants'), grants.removeGrants(filter)),
      },
      revocations: { ...revocations, revokeToken: (jti, expiresAt) => (writes.push('revokeToken'), revocations.revokeToken(jti, expiresAt)) },
    },
  };
}

export type { LogEntry } from '../support/logger.ts';

/** A logger that keeps warnings and errors, so a test can show a request was not treated as a server fault. */
export const recordingLogger = () => recordLevels(['warn', 'error']);
