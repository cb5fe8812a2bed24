/**
 * Raw single-core signing rate of this Node: a tight synchronous loop of crypto.sign over a typical JWT
 * access token signing input, per algorithm. Prints one JSON line, e.g. { "ES256": sig/s, "RS256": sig/s }.
 * Usage: node bench/sign-rate.ts [--seconds 2] [--alg ES256|RS256] (default both, one after the other)
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, alg: { type: 'string' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error('--seconds must be positive');
if (values.alg !== undefined && values.alg !== 'ES256' && values.alg !== 'RS256') throw new Error('--alg must be ES256 or RS256');

const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signingInput(alg: string): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: 'at+jwt', kid: 'Xk3bq1mF0s9vQe2r7TnYcA5uWz8LpHd6GjKoVbN4iRt' };
  const payload = {
    iss: 'http://127.0.0.1:41234',
    aud: 'urn:bench:api',
    client_id: 'bench',
    scope: 'api',
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: 'b2f0c6a1e4d34f7a9c1e5b8d2a7f3c60',
  };
  return Buffer.from(`${b64u(header)}.${b64u(payload)}`);
}

function measure(alg: 'ES256' | 'RS256', key: KeyObject): number {
  const data = signingInput(alg);
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  const run = (ms: number) => {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < 16; i++) sign('sha256', data, options);
      count += 16;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return (count * 1000) / elapsed;
  };
  run(250); // warm-up
  return run(seconds * 1000);
}

const result: Record<string, number> = {};
if (values.alg !== 'RS256') result.ES256 = Math.round(measure('ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
if (values.alg !== 'ES256') result.RS256 = Math.round(measure('RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
console.log(JSON.stringify(result));
