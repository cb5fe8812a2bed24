/**
 * Raw signing rate of this Node over a typical JWT access token signing input, per algorithm, with nothing
 * else running in the process. Prints one JSON line, e.g. { "ES256": sig/s, "RS256": sig/s }.
 * Usage: node bench/sign-rate.ts [--seconds 2] [--alg ES256|RS256] [--mode pool|main]
 *
 *  --mode pool (default): node:crypto's asynchronous sign with 16 signatures in flight, so they run on
 *                         libuv's thread pool as every server's signatures do (IdProo's and the token floor's
 *                         sign(), oidc-provider's WebCrypto through jose): it uses every core the process may
 *                         use, like a server.
 *  --mode main:           a tight synchronous loop on the main thread: one core.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, alg: { type: 'string' }, mode: { type: 'string', default: 'pool' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error('--seconds must be positive');
if (values.alg !== undefined && values.alg !== 'ES256' && values.alg !== 'RS256') throw new Error('--alg must be ES256 or RS256');
if (values.mode !== 'pool' && values.mode !== 'main') throw new Error('--mode must be pool or main');
const inFlight = 16;

const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signingInput(alg: string): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, kid: 'Xk3bq1mF0s9vQe2r7TnYcA5uWz8LpHd6GjKoVbN4iRt', typ: 'at+jwt' };
  const payload = {
    iss: 'http://127.0.0.1:41234',
    sub: 'bench',
    aud: 'urn:bench:api',
    client_id: 'bench',
    scope: 'api',
    jti: 'b2f0c6a1e4d34f7a9c1e5b8d',
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
  return Buffer.from(`${b64u(header)}.${b64u(payload)}`);
}

function onMain(data: Buffer, key: KeyObject, ms: number): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 16; i++) sign('sha256', data, key);
    count += 16;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (count * 1000) / elapsed;
}

/** Keeps `inFlight` asynchronous signatures outstanding for `ms`; the rate is taken when time is up. */
function onPool(data: Buffer, key: KeyObject, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let outstanding = 0;
    let rate: number | undefined;
    const start = performance.now();
    const next = () => {
      outstanding++;
      sign('sha256', data, key, (error) => {
        outstanding--;
        if (error) return reject(error);
        if (rate === undefined) {
          count++;
          const elapsed = performance.now() - start;
          if (elapsed >= ms) rate = (count * 1000) / elapsed;
          else next();
        }
        // Let the signatures still in flight finish, so they do not run into the next measurement.
        if (rate !== undefined && outstanding === 0) resolve(rate);
      });
    };
    for (let i = 0; i < inFlight; i++) next();
  });
}

async function measure(alg: 'ES256' | 'RS256', key: KeyObject): Promise<number> {
  const data = signingInput(alg);
  // The KeyObject goes in bare, as the token floor and IdProo pass it: an ES256 signature comes back as DER
  // and rewriting it as r || s (RFC 7518 §3.4) costs next to nothing, while sign()'s own ieee-p1363
  // encoding doubles the cost of a signature on Node 24 (bench/sign-cost.ts).
  const run = (ms: number) => (values.mode === 'main' ? Promise.resolve(onMain(data, key, ms)) : onPool(data, key, ms));
  await run(250); // warm-up
  return run(seconds * 1000);
}

const result: Record<string, number> = {};
if (values.alg !== 'RS256') result.ES256 = Math.round(await measure('ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
if (values.alg !== 'ES256') result.RS256 = Math.round(await measure('RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
console.log(JSON.stringify(result));
