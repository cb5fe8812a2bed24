/**
 * `npm run bench`: IdProo against oidc-provider (and a bare node:http baseline) on this machine.
 *
 * Every server runs in its own child process on 127.0.0.1, started fresh for its group of cases and killed
 * afterwards. For each case the servers are loaded one at a time: a warm-up each, then rounds in which each
 * server (and, for the token cases, the raw signing loop) is measured in turn, so that all of them see the
 * same conditions; ratios are medians of per-round ratios. Prints a table and the targets with PASS/MISS,
 * and writes bench/results/latest.json.
 *
 * The interactive group (bench/idproo.interactive.json, oidc-provider --mode interactive) scripts the browser
 * in this process (bench/flows.ts): full code flows with sign-in, and refresh rotations, as closed loops; the
 * UserInfo case is a fixed Bearer request under wrk. CPU per flow and per request comes from /proc.
 *
 * Every server runs compiled JavaScript on the same Node: IdProo its dist/ bin, the others the files
 * `tsc -p bench/tsconfig.servers.json` emits to bench/results/js/ (`npm run bench` runs both builds).
 *
 * Environment:
 *   BENCH_DURATION=<s>     measured seconds per case and server (default 10; 3 for a smoke run)
 *   BENCH_ROUNDS=<n>       rounds those seconds are split into (default min(10, BENCH_DURATION): 1 s slices)
 *   BENCH_WARMUP=<s>       warm-up seconds per case and server (default 5, or 1 when BENCH_DURATION < 5)
 *   BENCH_CONNECTIONS=<n>  concurrent connections (default 50)
 *   BENCH_LOADGEN=wrk|autocannon   force a load generator (default: wrk if on PATH, else autocannon)
 *   BENCH_RETRIES=<n>      at most this many extra rounds replace rounds that other work on the machine
 *                          disturbed (default half of BENCH_ROUNDS)
 *   BENCH_STARTS=<n>       IdProo cold starts measured for start time and idle RSS (default 5; median reported)
 *   BENCH_ONLY=<list>      comma-separated subset of servers: idproo,idproo-ref,oidc-provider,bare,floor,
 *                          floor-tuned (default), and floor-main (the tuned floor signing synchronously; not by
 *                          default). idproo-ref: IdProo's client with reference access tokens (interactive cases)
 *   BENCH_CASES=<list>     comma-separated subset of cases: discovery,jwks,cc-es256,cc-rs256,introspection,
 *                          cc-cpu,flow,flow-light,refresh,userinfo (the interactive group)
 *   BENCH_FLOW_CONCURRENCY=<n>     code flows in flight at once (default 8)
 *   BENCH_REFRESH_CONCURRENCY=<n>  refresh token chains, one request in flight each (default BENCH_CONNECTIONS)
 *   BENCH_INTERACTIVE_ALG=ES256|RS256  the interactive group's signing algorithm, both servers (default ES256)
 *   BENCH_FLOW_ROUND=<s>   seconds per round of the code flow cases (default max(2, round length))
 *   BENCH_PIN=1            pin servers and the signing loop to CPU 0 and the load generator to CPU 1 (needs
 *                          taskset): a single-core view; by default nothing is pinned
 *   BENCH_PROFILE=1        run IdProo with --cpu-prof; profiles go to bench/results/profiles/
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseLabels, json, local, precheck, prepareCase, type CaseId, type InteractiveSettings, type PreparedCase } from './cases.ts';
import { startCpuMeter, waitForQuiet, type CpuUsage } from './cpu.ts';
import { send } from './http.ts';
import { argon2Load } from './flows.ts';
import { chooseLoadGenerator, runLoad, type LoadGenerator, type LoadRequest } from './load.ts';
import { choosePlacement, serverLabels, signRate, startServer, stopServer, type ServerHandle, type ServerKind } from './servers.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(benchDir, '..');
const resultsDir = join(benchDir, 'results');
/** The reference servers and the signing loop, compiled (bench/tsconfig.servers.json). */
const scriptsDir = join(resultsDir, 'js');
const logsDir = join(resultsDir, 'logs');
const profilesDir = join(resultsDir, 'profiles');

const count = (name: string, fallback: number, allowZero = false): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Math.round(Number(raw));
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got "${raw}"`);
  return value;
};
const duration = count('BENCH_DURATION', 10);
const rounds = Math.min(count('BENCH_ROUNDS', Math.min(10, duration)), duration);
const roundSeconds = Math.max(1, Math.round(duration / rounds));
const roundsPerCase = rounds;
const roundSecondsPerCase = roundSeconds;
// oidc-provider's rate still climbs for about 5 s of load (JIT tiering of its larger code): a shorter
// warm-up flatters every ratio to it in the first rounds.
const warmup = count('BENCH_WARMUP', duration < 5 ? 1 : 5, true);
const connections = count('BENCH_CONNECTIONS', 50);
const retries = count('BENCH_RETRIES', Math.ceil(rounds / 2), true);
const retriesPerCase = retries;
const starts = count('BENCH_STARTS', 5, true);
const profile = process.env.BENCH_PROFILE === '1';
const only = new Set((process.env.BENCH_ONLY ?? 'idproo,idproo-ref,oidc-provider,bare,floor,floor-tuned').split(',').map((s) => s.trim()));
const onlyCases = new Set((process.env.BENCH_CASES ?? 'discovery,jwks,cc-es256,cc-rs256,introspection,cc-cpu,flow,flow-light,refresh,userinfo').split(',').map((s) => s.trim()));
const interactiveAlg = process.env.BENCH_INTERACTIVE_ALG ?? 'ES256';
if (interactiveAlg !== 'ES256' && interactiveAlg !== 'RS256') throw new Error(`BENCH_INTERACTIVE_ALG must be ES256 or RS256, got "${interactiveAlg}"`);
const interactiveSettings: InteractiveSettings = {
  flowConcurrency: count('BENCH_FLOW_CONCURRENCY', 8),
  refreshConcurrency: count('BENCH_REFRESH_CONCURRENCY', connections),
  alg: interactiveAlg,
};
// A flow takes tens of ms of argon2id: 1 s rounds hold too few flows to be steady.
const flowRoundSeconds = count('BENCH_FLOW_ROUND', Math.max(2, roundSeconds));
const flowRounds = Math.max(1, Math.round(duration / flowRoundSeconds));
const loadgen: LoadGenerator = chooseLoadGenerator();
const placement = choosePlacement();
/** A run during which other processes took more than this many cores is "noisy". */
const noiseCores = 0.15;

type GroupId = 'main' | 'es256' | 'rs256' | 'interactive';
/** idproo-ref: the IdProo server of the group, through its client with reference access tokens. */
type Who = ServerKind | 'raw' | 'idproo-ref' | 'argon2';
const whoLabels: Record<Who, string> = {
  ...serverLabels,
  raw: `raw crypto.sign, pool${placement.serverCpu !== undefined ? `, CPU ${placement.serverCpu}` : ''}`,
  'idproo-ref': 'IdProo, reference AT',
  argon2: 'argon2id alone, 2 at a time',
};
const groupCases: Record<GroupId, CaseId[]> = {
  main: ['discovery', 'jwks', 'introspection'],
  es256: ['cc-es256'],
  rs256: ['cc-rs256'],
  interactive: ['cc-cpu', 'flow', 'flow-light', 'refresh', 'userinfo'],
};
const idprooConfigs: Record<GroupId, string> = {
  main: 'bench/idproo.bench.json',
  es256: 'bench/idproo.es256.json',
  rs256: 'bench/idproo.rs256.json',
  interactive: 'bench/idproo.interactive.json',
};
const interactiveCases: readonly CaseId[] = ['flow', 'flow-light', 'refresh', 'userinfo'];

interface Sample {
  readonly rps: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly cpu?: CpuUsage;
}

interface Round {
  readonly index: number;
  readonly samples: Partial<Record<Who, Sample>>;
  /** Largest number of cores taken by other work during any run of the round. */
  readonly foreign: number;
}

interface Summary {
  readonly rps: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Over every load run of the case: warm-up, kept and discarded rounds. */
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly cpu?: { server: number; loadgen: number; other: number; softirq: number };
  /** (max − min) / median of the per-round rates. */
  readonly spread: number;
  readonly perRound: number[];
  /** The server process' CPU time (user + system, all threads) per request or flow over the kept rounds, µs. */
  readonly cpuUsPerRequest?: number;
}

interface CaseOutcome {
  readonly case: CaseId;
  readonly summaries: Partial<Record<Who, Summary>>;
  readonly checks: Partial<Record<Who, string>>;
  readonly errors: Partial<Record<Who, string>>;
  readonly keptRounds: Round[];
  readonly discardedRounds: Round[];
}

interface ServerInfo {
  readonly server: ServerKind;
  readonly group: string;
  readonly startMs?: number;
  readonly idleRssKb?: number;
  readonly peakRssKb?: number;
  readonly error?: string;
}

/** /proc reports kB meaning KiB; MB here is 10^6 bytes. */
const mb = (kib: number | undefined): number | undefined => (kib === undefined ? undefined : (kib * 1024) / 1e6);

function fmt(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const median = (values: number[]): number | undefined => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? undefined : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function machine() {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux
  }
  const free = spawnSync('free', ['-h'], { encoding: 'utf8' });
  const memLine = (free.stdout ?? '').split('\n').find((l) => l.startsWith('Mem:'));
  return {
    nproc: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memTotal: memLine?.split(/\s+/)[1] ?? 'unknown',
    node: process.version,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

type Participant =
  | { readonly who: Exclude<Who, 'raw' | 'argon2'>; readonly server: ServerHandle; readonly prepared: PreparedCase }
  | { readonly who: 'raw'; readonly alg: 'ES256' | 'RS256' }
  | { readonly who: 'argon2' };

const requestOf = (prepared: PreparedCase, seconds: number): LoadRequest => ({
  url: prepared.url,
  method: prepared.method,
  headers: prepared.headers,
  ...(prepared.body !== undefined ? { body: prepared.body } : {}),
  connections,
  duration: seconds,
  cpu: placement.loadgenCpu,
});

async function measure(p: Participant, seconds: number): Promise<Sample> {
  if (p.who === 'argon2') {
    // In this process: its own CPU is the "server" CPU of the row.
    const meter = startCpuMeter(undefined, true);
    const load = await argon2Load(2, seconds);
    const cpu = meter.stop();
    return { rps: load.rps, requests: load.requests, seconds: load.seconds, non2xx: 0, errors: load.errors, timeouts: 0, ...(cpu ? { cpu: { ...cpu, server: cpu.loadgen, loadgen: 0 } } : {}) };
  }
  if (p.who === 'raw') {
    const meter = startCpuMeter(undefined, false);
    const rate = (await signRate(scriptsDir, placement.serverCpu, seconds, p.alg))[p.alg] ?? NaN;
    const cpu = meter.stop();
    return { rps: rate, requests: rate * seconds, seconds, non2xx: 0, errors: 0, timeouts: 0, ...(cpu ? { cpu } : {}) };
  }
  const drive = p.prepared.drive;
  const meter = startCpuMeter(p.server.child.pid, drive !== undefined || loadgen === 'autocannon');
  const load = drive ? await drive(seconds) : await runLoad(loadgen, requestOf(p.prepared, seconds));
  const cpu = meter.stop();
  if (load.firstError !== undefined) console.log(`      ${whoLabels[p.who]}: ${load.errors} error(s), the first: ${load.firstError.slice(0, 300)}`);
  return {
    rps: load.rps,
    requests: load.requests,
    seconds: load.seconds,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
    ...(cpu ? { cpu } : {}),
  };
}

const foreignOf = (s: Sample | undefined) => (s?.cpu ? s.cpu.other + s.cpu.steal : 0);

async function runCase(id: CaseId, participants: Participant[], checks: Partial<Record<Who, string>>, errors: Partial<Record<Who, string>>): Promise<CaseOutcome> {
  const flows = id === 'flow' || id === 'flow-light';
  const rounds = flows ? flowRounds : roundsPerCase;
  const roundSeconds = flows ? flowRoundSeconds : roundSecondsPerCase;
  const retries = flows ? Math.ceil(flowRounds / 2) : retriesPerCase;
  const warmupBad: Partial<Record<Who, { non2xx: number; errors: number; timeouts: number }>> = {};
  await waitForQuiet();
  for (const p of participants) {
    if (p.who === 'raw' || p.who === 'argon2' || warmup === 0) continue;
    const w = p.prepared.drive ? await p.prepared.drive(warmup) : await runLoad(loadgen, requestOf(p.prepared, warmup));
    if (w.firstError !== undefined) console.log(`      ${whoLabels[p.who]} warm-up: ${w.errors} error(s), the first: ${w.firstError.slice(0, 300)}`);
    warmupBad[p.who] = { non2xx: w.non2xx, errors: w.errors, timeouts: w.timeouts };
  }
  const all: Round[] = [];
  const noisy = () => all.filter((r) => r.foreign > noiseCores).length;
  for (let index = 0; index < rounds + retries; index++) {
    if (index >= rounds && noisy() <= index - rounds) break; // enough clean rounds
    if (index > 0) await waitForQuiet(5000);
    const samples: Partial<Record<Who, Sample>> = {};
    // Rotate the order every round so that no one is always first after a pause.
    const order = participants.map((_, i) => participants[(i + index) % participants.length]!);
    for (const p of order) samples[p.who] = await measure(p, roundSeconds);
    const foreign = Math.max(...Object.values(samples).map(foreignOf));
    all.push({ index, samples, foreign });
    const parts = participants.map((p) => `${whoLabels[p.who]} ${fmt(samples[p.who]?.rps, 0)}`);
    console.log(`    round ${index + 1}: ${parts.join(' | ')}${foreign > noiseCores ? `  (other work: ${fmt(foreign, 2)} cores — noisy)` : ''}`);
  }
  // Keep the `rounds` cleanest rounds (in their original order).
  const kept = [...all].sort((a, b) => a.foreign - b.foreign).slice(0, rounds).sort((a, b) => a.index - b.index);
  const discarded = all.filter((r) => !kept.includes(r));
  const summaries: Partial<Record<Who, Summary>> = {};
  for (const p of participants) {
    const mine = kept.flatMap((r) => (r.samples[p.who] ? [r.samples[p.who]!] : []));
    const everything = all.flatMap((r) => (r.samples[p.who] ? [r.samples[p.who]!] : []));
    if (mine.length === 0) continue;
    const rates = mine.map((s) => s.rps);
    const cpus = mine.flatMap((s) => (s.cpu ? [s.cpu] : []));
    const w = warmupBad[p.who];
    const p50 = median(mine.flatMap((s) => (s.p50Ms !== undefined ? [s.p50Ms] : [])));
    const p99 = median(mine.flatMap((s) => (s.p99Ms !== undefined ? [s.p99Ms] : [])));
    summaries[p.who] = {
      rps: mine.reduce((n, s) => n + s.requests, 0) / mine.reduce((n, s) => n + s.seconds, 0),
      ...(p50 !== undefined ? { p50Ms: p50 } : {}),
      ...(p99 !== undefined ? { p99Ms: p99 } : {}),
      non2xx: everything.reduce((n, s) => n + s.non2xx, 0) + (w?.non2xx ?? 0),
      errors: everything.reduce((n, s) => n + s.errors, 0) + (w?.errors ?? 0),
      timeouts: everything.reduce((n, s) => n + s.timeouts, 0) + (w?.timeouts ?? 0),
      ...(cpus.length > 0
        ? {
            cpu: {
              server: mean(cpus.map((c) => c.server)),
              loadgen: mean(cpus.map((c) => c.loadgen)),
              other: mean(cpus.map((c) => c.other + c.steal)),
              softirq: mean(cpus.map((c) => c.softirq)),
            },
          }
        : {}),
      spread: (Math.max(...rates) - Math.min(...rates)) / (median(rates) ?? NaN),
      perRound: rates.map((r) => Math.round(r)),
      ...(cpus.length === mine.length && mine.length > 0
        ? { cpuUsPerRequest: (mine.reduce((n, s) => n + s.cpu!.server * s.cpu!.seconds, 0) / Math.max(1, mine.reduce((n, s) => n + s.requests, 0))) * 1e6 }
        : {}),
    };
  }
  return { case: id, summaries, checks, errors, keptRounds: kept, discardedRounds: discarded };
}

// ---------------------------------------------------------------------------------------------------------
// Run

mkdirSync(logsDir, { recursive: true });
if (profile) mkdirSync(profilesDir, { recursive: true });
const info = machine();
const startedAt = new Date();
console.log(`IdProo benchmark — ${startedAt.toISOString()}`);
console.log(`machine: ${info.nproc} cores, ${info.cpuModel}, ${info.memTotal} RAM, node ${info.node}`);
console.log(
  `load: ${loadgen}, ${connections} connections; per case and server ${warmup} s warm-up, then ${rounds} round${rounds > 1 ? 's' : ''} of ${roundSeconds} s` +
    ` (code flows: ${flowRounds} × ${flowRoundSeconds} s, ${interactiveSettings.flowConcurrency} in flight; refresh: ${interactiveSettings.refreshConcurrency} chains; interactive tokens ${interactiveAlg})` +
    `${profile ? '; IdProo under --cpu-prof' : ''}`,
);
console.log(
  placement.serverCpu !== undefined
    ? `placement: servers and the signing loop pinned to CPU ${placement.serverCpu}, the load generator to CPU ${placement.loadgenCpu} (BENCH_PIN=1)`
    : 'placement: not pinned (servers, load generator and signing loop share both cores; BENCH_PIN=1 pins)',
);

const startOptions = { rootDir, logsDir, cpu: placement.serverCpu };
const outcomes: CaseOutcome[] = [];
const servers: ServerInfo[] = [];
let bareSpec: { path: string; contentType: string; body: string }[] | undefined;
let bareSource: ServerKind | undefined;

// IdProo runs as it ships: the compiled bin (`npm run bench` builds it first), with the Node options of
// its shebang line, read from the file so the benchmark cannot drift from what users run.
const binFile = 'dist/cli/main.js';
const shebangOptions = (/^#!\/usr\/bin\/env -S node(.*)$/m.exec(readFileSync(join(rootDir, binFile), 'utf8').split('\n', 1)[0]!)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);

/**
 * The floors (bare node:http, the token floor) stand for IdProo's own code removed, so they run with the
 * Node options of IdProo's bin: the ratio to them measures code, not heap configuration. oidc-provider runs
 * with Node's defaults, as its users run it; a small young generation would cost it throughput.
 */
const floorOptions = shebangOptions;

function idprooArgs(group: GroupId, withProfile = profile): string[] {
  const nodeArgs = withProfile ? ['--cpu-prof', '--cpu-prof-dir', profilesDir, '--cpu-prof-name', `idproo-${group}.cpuprofile`] : [];
  let config = idprooConfigs[group];
  if (group === 'interactive' && interactiveAlg !== 'ES256') {
    // The same configuration with the other algorithm (its only key), written next to the results.
    const variant = JSON.parse(readFileSync(join(rootDir, config), 'utf8')) as { keyManagement: { signingAlgorithms: string[] } };
    variant.keyManagement.signingAlgorithms = [interactiveAlg];
    config = relative(rootDir, join(resultsDir, `idproo.interactive.${interactiveAlg.toLowerCase()}.json`));
    writeFileSync(join(rootDir, config), `${JSON.stringify(variant, null, 2)}\n`);
  }
  return [...shebangOptions, ...nodeArgs, binFile, 'start', '--config', config, '--port', '{port}', '--db', 'memory:'];
}

/** The bare baseline answers IdProo's discovery document and JWKS: same bytes, same content-type, same paths. */
async function captureBaseline(server: ServerHandle): Promise<void> {
  const d = await send(`${server.base}/.well-known/openid-configuration`);
  const jwksUrl = local(server.base, json(d.body)?.jwks_uri, 'jwks_uri');
  const j = await send(jwksUrl);
  bareSpec = [
    { path: '/.well-known/openid-configuration', contentType: String(d.headers['content-type'] ?? 'application/json'), body: d.body.toString('base64') },
    { path: new URL(jwksUrl).pathname, contentType: String(j.headers['content-type'] ?? 'application/json'), body: j.body.toString('base64') },
  ];
  bareSource = server.kind;
}

// 1. Cold starts of IdProo: spawn → first 2xx discovery answer, and the idle RSS.
const startSamples: { startMs: number; idleRssKb: number | undefined }[] = [];
if (only.has('idproo') && starts > 0) {
  console.log(`\nIdProo cold starts (${idprooConfigs.main}, ${starts}×): spawn → first 2xx discovery answer, polling every 5 ms; VmRSS 0.5 s later`);
  for (let i = 1; i <= starts; i++) {
    try {
      await waitForQuiet(10_000);
      const server = await startServer('idproo', `start-${i}`, idprooArgs('main', false), startOptions);
      await stopServer(server);
      startSamples.push({ startMs: server.startMs, idleRssKb: server.idleRssKb });
      console.log(`  #${i}: ${fmt(server.startMs, 0)} ms, idle RSS ${fmt(mb(server.idleRssKb), 1)} MB`);
    } catch (error) {
      console.log(`  #${i}: FAILED: ${(error as Error).message.split('\n')[0]}`);
      break;
    }
  }
}

// 2. Groups of cases: each group starts its servers fresh and stops them afterwards.
async function start(kind: ServerKind, group: GroupId, args: string[]): Promise<ServerHandle | undefined> {
  try {
    await waitForQuiet(10_000);
    const server = await startServer(kind, group, args, startOptions);
    console.log(`  ${serverLabels[kind]} (${group}) started: first answer after ${fmt(server.startMs, 0)} ms, idle RSS ${fmt(mb(server.idleRssKb), 1)} MB (pid ${server.child.pid})`);
    return server;
  } catch (error) {
    const message = (error as Error).message;
    console.log(`  ${serverLabels[kind]} (${group}) FAILED to start: ${message}`);
    servers.push({ server: kind, group, error: message.split('\n')[0] ?? message });
    return undefined;
  }
}


for (const group of ['main', 'es256', 'rs256', 'interactive'] as const) {
  const cases = groupCases[group].filter((c) => onlyCases.has(c));
  if (cases.length === 0) continue;
  console.log(`\n== ${group}: ${cases.map((c) => caseLabels[c]).join(', ')}`);
  const handles: ServerHandle[] = [];
  const idproo = only.has('idproo') ? await start('idproo', group, idprooArgs(group)) : undefined;
  if (idproo) handles.push(idproo);
  const op = only.has('oidc-provider') ? await start('oidc-provider', group, [join(scriptsDir, 'oidc-provider-server.js'), '--port', '{port}', '--mode', group, ...(group === 'interactive' ? ['--alg', interactiveAlg] : [])]) : undefined;
  if (op) handles.push(op);
  if (group === 'es256' || group === 'rs256') {
    // The floor as Node's documentation would write it; tuned with IdProo's two crypto shortcuts; and (on
    // request) tuned but signing synchronously on the main thread.
    const floors = [['floor', 'pool', []], ['floor-tuned', 'pool', ['--tuned']], ['floor-main', 'main', ['--tuned']]] as const;
    for (const [kind, sign, extra] of floors) {
      if (!only.has(kind)) continue;
      const floor = await start(kind, group, [...floorOptions, join(scriptsDir, 'token-floor-server.js'), '--port', '{port}', '--alg', group.toUpperCase(), '--sign', sign, ...extra]);
      if (floor) handles.push(floor);
    }
  }
  let bare: ServerHandle | undefined;
  if (group === 'main' && only.has('bare') && (cases.includes('discovery') || cases.includes('jwks'))) {
    const source = idproo ?? op;
    if (source) {
      await captureBaseline(source);
      if (source !== idproo) console.log(`  NOTE: IdProo did not start; the bare node:http baseline serves ${serverLabels[source.kind]}'s documents instead.`);
      const specFile = join(resultsDir, 'bare-spec.json');
      writeFileSync(specFile, JSON.stringify(bareSpec));
      bare = await start('bare', group, [...floorOptions, join(scriptsDir, 'bare-server.js'), '--port', '{port}', '--spec', specFile]);
      if (bare) handles.push(bare);
    }
  }
  try {
    for (const id of cases) {
      console.log(`  -- ${caseLabels[id]}`);
      const participants: Participant[] = [];
      const checks: Partial<Record<Who, string>> = {};
      const errors: Partial<Record<Who, string>> = {};
      const expected: Exclude<Who, 'raw' | 'argon2'>[] =
        id === 'cc-cpu'
          ? ['idproo']
          : interactiveCases.includes(id)
            ? id === 'flow'
              ? ['idproo', 'oidc-provider']
              : ['idproo', 'idproo-ref', 'oidc-provider']
            : ['idproo', 'oidc-provider', ...(id === 'discovery' || id === 'jwks' ? (['bare'] as const) : []), ...(id === 'cc-es256' || id === 'cc-rs256' ? (['floor', 'floor-tuned', 'floor-main'] as const) : [])];
      for (const who of expected) {
        if (!only.has(who)) continue;
        const kind: ServerKind = who === 'idproo-ref' ? 'idproo' : who;
        const server = handles.find((h) => h.kind === kind);
        if (!server) {
          errors[who] = 'server did not start';
          continue;
        }
        try {
          const prepared = await prepareCase(server, id, interactiveSettings, who === 'idproo-ref' ? 'reference' : 'jwt');
          const verdict = await precheck(prepared);
          checks[who] = verdict.note;
          console.log(`    ${whoLabels[who]}: pre-check ${verdict.ok ? 'ok' : 'FAILED'} (${verdict.note})`);
          if (verdict.ok) participants.push({ who, server, prepared });
          else {
            errors[who] = `pre-check failed: ${verdict.note}`;
            prepared.close?.();
          }
        } catch (error) {
          console.log(`    ${whoLabels[who]}: FAILED to prepare: ${(error as Error).message}`);
          errors[who] = (error as Error).message;
        }
      }
      if (id === 'cc-es256') participants.push({ who: 'raw', alg: 'ES256' });
      if (id === 'cc-rs256') participants.push({ who: 'raw', alg: 'RS256' });
      if (id === 'flow') participants.push({ who: 'argon2' });
      try {
        outcomes.push(await runCase(id, participants, checks, errors));
      } catch (error) {
        console.log(`    FAILED: ${(error as Error).message}`);
        const message = (error as Error).message;
        const failed = Object.fromEntries(participants.map((p) => [p.who, message]));
        outcomes.push({ case: id, summaries: {}, checks, errors: { ...errors, ...failed }, keptRounds: [], discardedRounds: [] });
      } finally {
        for (const p of participants) if ('prepared' in p) p.prepared.close?.();
      }
    }
  } finally {
    for (const h of handles) {
      const peakRssKb = await stopServer(h, profile ? 15_000 : 3000);
      servers.push({ server: h.kind, group, startMs: h.startMs, ...(h.idleRssKb !== undefined ? { idleRssKb: h.idleRssKb } : {}), ...(peakRssKb !== undefined ? { peakRssKb } : {}) });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

const outcome = (c: CaseId) => outcomes.find((o) => o.case === c);
const summary = (c: CaseId, w: Who) => outcome(c)?.summaries[w];
/** Median over kept rounds of `of`'s rate (IdProo's by default) divided by `w`'s rate in the same round. */
const pairedRatio = (c: CaseId, w: Who, of: Who = 'idproo'): number | undefined => {
  const o = outcome(c);
  if (!o) return undefined;
  return median(o.keptRounds.flatMap((r) => (r.samples[of] && r.samples[w] && r.samples[w].rps > 0 ? [r.samples[of].rps / r.samples[w].rps] : [])));
};

const caseOrder: CaseId[] = ['discovery', 'jwks', 'cc-es256', 'cc-rs256', 'introspection', 'cc-cpu', 'flow', 'flow-light', 'refresh', 'userinfo'];
const header = ['case', 'server', 'req/s', 'spread', 'p50 ms', 'p99 ms', 'non-2xx', 'err/timeout', 'CPU srv/gen/other', 'ratios'];
const rows: string[][] = [header];
for (const c of caseOrder) {
  const o = outcome(c);
  if (!o) continue;
  for (const w of ['idproo', 'idproo-ref', 'oidc-provider', 'floor', 'floor-tuned', 'floor-main', 'bare', 'raw', 'argon2'] as const) {
    const s = o.summaries[w];
    const error = o.errors[w];
    if (!s && !error) continue;
    const parts: string[] = [];
    if (w === 'idproo' || w === 'idproo-ref' || w === 'floor' || w === 'floor-tuned' || w === 'floor-main') {
      const vsOp = pairedRatio(c, 'oidc-provider', w);
      if (vsOp !== undefined) parts.push(`${fmt(vsOp, 2)}× oidc-provider`);
    }
    if (w === 'idproo') {
      const vsFloor = pairedRatio(c, 'floor');
      if (vsFloor !== undefined) parts.push(`${fmt(vsFloor * 100, 0)}% of floor`);
      const vsTuned = pairedRatio(c, 'floor-tuned');
      if (vsTuned !== undefined) parts.push(`${fmt(vsTuned * 100, 0)}% of tuned floor`);
      const vsFloorMain = pairedRatio(c, 'floor-main');
      if (vsFloorMain !== undefined) parts.push(`${fmt(vsFloorMain * 100, 0)}% of sync floor`);
      const vsBare = pairedRatio(c, 'bare');
      if (vsBare !== undefined) parts.push(`${fmt(vsBare * 100, 0)}% of bare`);
      const vsRaw = pairedRatio(c, 'raw');
      if (vsRaw !== undefined) parts.push(`${fmt(vsRaw * 100, 0)}% of raw signing`);
    }
    const note = parts.join(', ');
    if (s) {
      const cpu = s.cpu
        ? w === 'raw'
          ? `${fmt(s.cpu.loadgen, 2)}/-/${fmt(s.cpu.other, 2)}`
          : w === 'argon2'
            ? `${fmt(s.cpu.server, 2)}/-/${fmt(s.cpu.other, 2)}`
            : `${fmt(s.cpu.server, 2)}/${fmt(s.cpu.loadgen, 2)}/${fmt(s.cpu.other, 2)}`
        : '-';
      const http = w !== 'raw' && w !== 'argon2';
      rows.push([
        caseLabels[c],
        whoLabels[w],
        fmt(s.rps, s.rps < 100 ? 1 : 0),
        `±${fmt((s.spread * 100) / 2, 0)}%`,
        http ? fmt(s.p50Ms, 2) : '-',
        http ? fmt(s.p99Ms, 2) : '-',
        http ? String(s.non2xx) : '-',
        http ? `${s.errors}/${s.timeouts}` : '-',
        cpu,
        note,
      ]);
    } else {
      rows.push([caseLabels[c], whoLabels[w], 'FAILED', '-', '-', '-', '-', '-', '-', (error ?? '').split('\n')[0]?.slice(0, 80) ?? '']);
    }
  }
}
const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
const line = (r: string[]) => r.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
console.log(
  `\nResults — ${loadgen}, ${connections} connections, ${rounds} × ${roundSeconds} s per case and server (after ${warmup} s warm-up)` +
    `${placement.serverCpu !== undefined ? `, server on CPU ${placement.serverCpu}, load generator on CPU ${placement.loadgenCpu}` : ''}\n`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
console.log(
  '\nreq/s: requests over all kept rounds / their seconds (raw: signatures/s; code flow: whole flows/s; argon2id: hashes/s); spread: ±half the range of the per-round rates;' +
    '\np50/p99: median over rounds; non-2xx, errors: every load run (warm-up included); CPU: cores used by the server /' +
    '\nthe load generator / other processes; ratios: median over rounds of this row ÷ the other in the same round.',
);

const idprooMain = servers.find((s) => s.server === 'idproo' && s.group === 'main');
const rssSamples = startSamples.flatMap((s) => (s.idleRssKb !== undefined ? [s.idleRssKb] : []));
const idleMb = mb(rssSamples.length > 0 ? median(rssSamples) : idprooMain?.idleRssKb);
const startMs = startSamples.length > 0 ? median(startSamples.map((s) => s.startMs)) : idprooMain?.startMs;
const startRange = startSamples.length > 1 ? ` (median of ${startSamples.length} starts: ${startSamples.map((s) => fmt(s.startMs, 0)).join(', ')} ms)` : '';
const rssRange = rssSamples.length > 1 ? ` (median of ${rssSamples.length} starts: ${rssSamples.map((kb) => fmt(mb(kb), 1)).join(', ')} MB)` : '';
console.log('');
for (const s of servers) {
  const text = s.error
    ? `did not start (${s.error})`
    : `start to first answer ${fmt(s.startMs, 0)} ms, idle RSS ${fmt(mb(s.idleRssKb), 1)} MB, peak RSS ${fmt(mb(s.peakRssKb), 1)} MB`;
  console.log(`${serverLabels[s.server]} (${s.group}): ${text}`);
}

// CPU per request or flow: the server process' user + system ticks (every thread: argon2id and signatures run
// on the thread pool) over the kept rounds, divided by what was answered in them.
const cpuOf = (c: CaseId, w: Who) => summary(c, w)?.cpuUsPerRequest;
const flowCpu = cpuOf('flow', 'idproo');
const argon2Cpu = cpuOf('flow', 'argon2');
const ccCpu = cpuOf('cc-cpu', 'idproo');
// The rest of a flow, measured directly: the same flow with a trivial hash (m=64 KiB, t=1; a few µs). Taking
// one argon2id off the full flow's CPU instead leaves a difference of two noisy ~30 ms figures.
const flowRest = cpuOf('flow-light', 'idproo');
if (caseOrder.some((c) => interactiveCases.includes(c) && outcome(c)) || outcome('cc-cpu')) {
  const us = (v: number | undefined) => (v === undefined ? '-' : `${fmt(v, 0)} µs`);
  console.log('\nCPU time per request or flow (server process: user + system, every thread, from /proc; kept rounds)\n');
  for (const c of ['cc-cpu', 'flow', 'flow-light', 'refresh', 'userinfo'] as const) {
    for (const w of ['idproo', 'idproo-ref', 'oidc-provider', 'argon2'] as const) {
      const v = cpuOf(c, w);
      if (v === undefined) continue;
      let note = '';
      if (c === 'flow' && w !== 'argon2' && argon2Cpu !== undefined) note = `  full flow − argon2id alone = ${us(v - argon2Cpu)}`;
      if (c === 'flow-light' && ccCpu !== undefined) note = `  ${fmt(v / ccCpu, 2)}× a client_credentials token`;
      if ((c === 'refresh' || c === 'userinfo') && ccCpu !== undefined) note = `  ${fmt(v / ccCpu, 2)}× a client_credentials token`;
      console.log(`  ${caseLabels[c].padEnd(36)} ${whoLabels[w].padEnd(28)} ${us(v).padStart(10)}${note}`);
    }
  }
}

interface Target {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}
const targets: Target[] = [];
const target = (name: string, pass: boolean, detail: string) => targets.push({ name, pass, detail });
for (const [c, alg] of [['cc-es256', 'ES256'], ['cc-rs256', 'RS256']] as const) {
  const r = pairedRatio(c, 'floor');
  const tuned = pairedRatio(c, 'floor-tuned');
  target(
    `client_credentials ${alg} ≥ 90% of the token floor`,
    r !== undefined && r >= 0.9,
    `${fmt((r ?? NaN) * 100, 0)}% (${fmt(summary(c, 'idproo')?.rps, 0)} vs ${fmt(summary(c, 'floor')?.rps, 0)} req/s)` +
      (tuned !== undefined ? `; ${fmt(tuned * 100, 0)}% of the tuned floor (${fmt(summary(c, 'floor-tuned')?.rps, 0)} req/s)` : ''),
  );
}
{
  const r = pairedRatio('cc-es256', 'oidc-provider');
  target('client_credentials ES256 ≥ 2.2× oidc-provider', r !== undefined && r >= 2.2, `${fmt(r, 2)}×`);
}
{
  const r = pairedRatio('cc-rs256', 'oidc-provider');
  target('client_credentials RS256 ≥ 1.2× oidc-provider', r !== undefined && r >= 1.2, `${fmt(r, 2)}×`);
}
for (const c of ['discovery', 'jwks'] as const) {
  const r = pairedRatio(c, 'bare');
  const fromIdproo = bareSource === 'idproo';
  target(`${c} ≥ 75% of bare node:http`, r !== undefined && r >= 0.75 && fromIdproo, `${fmt((r ?? NaN) * 100, 0)}%${fromIdproo ? '' : ' (baseline not from IdProo)'}`);
}
if (outcome('flow') || outcome('flow-light') || outcome('cc-cpu')) {
  target(
    'code flow: IdProo CPU per flow without the password hash ≤ 2× a client_credentials token',
    flowRest !== undefined && ccCpu !== undefined && flowRest <= 2 * ccCpu,
    `${fmt(flowRest, 0)} µs vs ${fmt(ccCpu, 0)} µs: ${fmt(flowRest !== undefined && ccCpu !== undefined ? flowRest / ccCpu : NaN, 2)}× ` +
      `(full flow ${fmt(flowCpu, 0)} µs of which argon2id ${fmt(argon2Cpu, 0)} µs; ${fmt(summary('flow', 'idproo')?.rps, 1)} flows/s, ${fmt(pairedRatio('flow', 'oidc-provider'), 2)}× oidc-provider; ` +
      `without the hash ${fmt(summary('flow-light', 'idproo')?.rps, 0)} flows/s, ${fmt(pairedRatio('flow-light', 'oidc-provider'), 2)}× oidc-provider)`,
  );
}
if (outcome('refresh')) {
  const r = pairedRatio('refresh', 'oidc-provider');
  const ref = pairedRatio('refresh', 'oidc-provider', 'idproo-ref');
  target('refresh_token grant ≥ 1.5× oidc-provider', r !== undefined && r >= 1.5, `${fmt(r, 2)}× (${fmt(summary('refresh', 'idproo')?.rps, 0)} vs ${fmt(summary('refresh', 'oidc-provider')?.rps, 0)} req/s)${ref !== undefined ? `; reference access tokens ${fmt(ref, 2)}×` : ''}`);
}
if (outcome('userinfo')) {
  const r = pairedRatio('userinfo', 'oidc-provider');
  const ref = pairedRatio('userinfo', 'oidc-provider', 'idproo-ref');
  target('userinfo ≥ 2× oidc-provider', r !== undefined && r >= 2, `${fmt(r, 2)}× (${fmt(summary('userinfo', 'idproo')?.rps, 0)} vs ${fmt(summary('userinfo', 'oidc-provider')?.rps, 0)} req/s)${ref !== undefined ? `; reference access tokens ${fmt(ref, 2)}×` : ''}`);
}
{
  const wanted = caseOrder.filter((c) => onlyCases.has(c));
  const mine = wanted.flatMap((c) => [summary(c, 'idproo'), ...(interactiveCases.includes(c) && only.has('idproo-ref') ? [summary(c, 'idproo-ref')] : [])]);
  const measured = wanted.filter((c) => summary(c, 'idproo')).length;
  const bad = mine.reduce((n, s) => n + (s ? s.non2xx + s.errors + s.timeouts : 0), 0);
  target('zero non-2xx / errors / timeouts (IdProo, all cases)', measured === wanted.length && bad === 0, `${bad} in ${measured}/${wanted.length} cases measured`);
}
target('idle RSS ≤ 80 MB', idleMb !== undefined && idleMb <= 80, `${fmt(idleMb, 1)} MB${rssRange}`);
target('process start to first answer ≤ 1 s', startMs !== undefined && startMs <= 1000, `${fmt(startMs, 0)} ms${startRange}`);
{
  const inter = servers.find((s) => s.server === 'idproo' && s.group === 'interactive');
  if (inter?.startMs !== undefined) {
    const rss = mb(inter.idleRssKb);
    target(
      'interactive config: idle RSS ≤ 80 MB and start ≤ 1 s',
      rss !== undefined && rss <= 80 && inter.startMs <= 1000,
      `${fmt(rss, 1)} MB, ${fmt(inter.startMs, 0)} ms (one start of ${idprooConfigs.interactive}; peak under load ${fmt(mb(inter.peakRssKb), 1)} MB)`,
    );
  }
}

console.log('\nTargets');
for (const t of targets) console.log(`${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.detail}`);
const refBad = outcomes.flatMap((o) =>
  (['oidc-provider', 'bare', 'floor', 'floor-tuned', 'floor-main'] as const).flatMap((w) => {
    const s = o.summaries[w];
    return (s && s.non2xx + s.errors + s.timeouts > 0) || o.errors[w] ? [`${serverLabels[w]}/${o.case}`] : [];
  }),
);
if (refBad.length > 0) console.log(`\nWARNING: reference runs not clean, comparisons may be invalid: ${refBad.join(', ')}`);
const noisyKept = outcomes.filter((o) => o.keptRounds.some((r) => r.foreign > noiseCores)).map((o) => caseLabels[o.case]);
if (noisyKept.length > 0) console.log(`\nNOTE: other work on the machine disturbed rounds that had to be kept (${noisyKept.join(', ')}); re-run to confirm.`);

const roundJson = (r: Round) => ({
  round: r.index + 1,
  otherCores: Number(r.foreign.toFixed(3)),
  rps: Object.fromEntries(Object.entries(r.samples).map(([w, s]) => [w, Math.round(s.rps)])),
});
const out = {
  date: startedAt.toISOString(),
  machine: info,
  settings: { loadgen, connections, rounds, roundSeconds, warmupSeconds: warmup, retries, noiseCores, starts, pinned: placement.serverCpu !== undefined, profile },
  idprooStarts: { samples: startSamples, medianStartMs: startMs ?? null, medianIdleRssMB: idleMb ?? null },
  interactive: { ...interactiveSettings, flowRoundSeconds, flowRounds, flowCpuUs: flowCpu ?? null, argon2CpuUs: argon2Cpu ?? null, flowWithoutHashCpuUs: flowRest ?? null, clientCredentialsCpuUs: ccCpu ?? null },
  servers,
  baselineSource: bareSource ?? null,
  cases: outcomes.map((o) => ({
    case: o.case,
    results: Object.fromEntries(
      Object.entries(o.summaries).map(([w, s]) => [
        w,
        { ...s, rps: Math.round(s.rps), cpu: s.cpu ?? null, check: o.checks[w as Who] ?? null },
      ]),
    ),
    errors: o.errors,
    ratios: {
      vsOidcProvider: pairedRatio(o.case, 'oidc-provider') ?? null,
      vsBare: pairedRatio(o.case, 'bare') ?? null,
      vsFloor: pairedRatio(o.case, 'floor') ?? null,
      vsTunedFloor: pairedRatio(o.case, 'floor-tuned') ?? null,
      vsFloorMain: pairedRatio(o.case, 'floor-main') ?? null,
      floorVsOidcProvider: pairedRatio(o.case, 'oidc-provider', 'floor') ?? null,
      vsRawSigning: pairedRatio(o.case, 'raw') ?? null,
    },
    rounds: o.keptRounds.map(roundJson),
    discardedRounds: o.discardedRounds.map(roundJson),
  })),
  targets,
};
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote ${relative(rootDir, join(resultsDir, 'latest.json'))}; server logs in ${relative(rootDir, logsDir)}/`);
