/**
 * What one JWS signature costs this Node, by the way it is asked for: CPU per signature in the whole process
 * and on the main thread (the event loop, which a server cannot spend twice). Linux only (/proc).
 * Usage: node bench/sign-cost.ts [--seconds 1] [--repeat 3] [--alg ES256|RS256]
 *
 * Asynchronous calls keep 16 signatures in flight, as a loaded server would. Each style is measured in turn,
 * `--repeat` times, and the median is printed, so that a busy phase of a shared machine hits all of them.
 */
import { generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompactSign } from 'jose/jws/compact/sign';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '1' }, repeat: { type: 'string', default: '3' }, alg: { type: 'string' } } });
const ms = Number(values.seconds) * 1000;
const repeat = Number(values.repeat);
if (!(ms > 0) || !(repeat >= 1)) throw new Error('--seconds and --repeat must be positive');
const inFlight = 16;

/** utime + stime of the main thread, in µs (clock ticks of 10 ms). */
function mainThreadUs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Cost {
  readonly rate: number;
  readonly totalUs: number;
  readonly mainUs: number;
}

async function measure(one: () => unknown, concurrent: boolean): Promise<Cost> {
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadUs();
  const start = performance.now();
  let count = 0;
  const loop = async () => {
    while (performance.now() - start < ms) {
      await one();
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrent ? inFlight : 1 }, loop));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { rate: (count * 1000) / elapsed, totalUs: (cpu.user + cpu.system) / count, mainUs: (mainThreadUs() - main0) / count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function styles(alg: 'ES256' | 'RS256') {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const subtleKey = privateKey.toCryptoKey(alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const subtleAlg = alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const payload = Buffer.from(JSON.stringify({ iss: 'http://127.0.0.1:41234', sub: 'bench', aud: 'urn:bench:api', client_id: 'bench', scope: 'api', jti: 'b2f0c6a1e4d34f7a9c1e5b8d', iat: 1, nbf: 1, exp: 3601 }));
  const data = Buffer.from(`eyJhbGciOiJFUzI1NiIsImtpZCI6IngiLCJ0eXAiOiJhdCtqd3QifQ.${payload.toString('base64url')}`);
  const options: { key: KeyObject; dsaEncoding?: 'ieee-p1363' } = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : { key: privateKey };
  const optionsLabel = alg === 'ES256' ? "{ key, dsaEncoding: 'ieee-p1363' }" : '{ key }';
  const callback = (key: KeyObject | typeof options) => () => new Promise((resolve, reject) => sign('sha256', data, key, (error, signature) => (error ? reject(error) : resolve(signature))));
  return [
    { label: `sign() sync, KeyObject${alg === 'ES256' ? ' (DER)' : ''}`, one: () => sign('sha256', data, privateKey), concurrent: false },
    { label: `sign() sync, ${optionsLabel}`, one: () => sign('sha256', data, options), concurrent: false },
    { label: `sign() async, KeyObject${alg === 'ES256' ? ' (DER)' : ''}`, one: callback(privateKey), concurrent: true },
    { label: `sign() async, ${optionsLabel}`, one: callback(options), concurrent: true },
    { label: 'crypto.subtle.sign', one: () => webcrypto.subtle.sign(subtleAlg, subtleKey, data), concurrent: true },
    { label: 'jose CompactSign', one: () => new CompactSign(payload).setProtectedHeader({ alg, kid: 'x', typ: 'at+jwt' }).sign(subtleKey), concurrent: true },
  ];
}

for (const alg of ['ES256', 'RS256'] as const) {
  if (values.alg !== undefined && values.alg !== alg) continue;
  const list = await styles(alg);
  const costs = list.map(() => [] as Cost[]);
  for (const { one, concurrent } of list) await measure(one, concurrent); // warm-up
  for (let r = 0; r < repeat; r++) for (const [i, { one, concurrent }] of list.entries()) costs[i]!.push(await measure(one, concurrent));
  console.log(`\n${alg}: median of ${repeat} × ${ms / 1000} s${' '.repeat(22)}signatures/s   CPU µs/signature   of which main thread`);
  for (const [i, { label }] of list.entries()) {
    const c = costs[i]!;
    const cell = (f: (x: Cost) => number, width: number, digits = 1) => median(c.map(f)).toFixed(digits).padStart(width);
    console.log(`  ${label.padEnd(48)} ${cell((x) => x.rate, 12, 0)} ${cell((x) => x.totalUs, 18)} ${cell((x) => x.mainUs, 22)}`);
  }
}
