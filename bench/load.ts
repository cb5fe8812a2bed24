/**
 * Load generation: wrk (preferred: a C load generator leaves more of a 2-core machine to the server) or,
 * when wrk is not on PATH, autocannon's programmatic API (in this process).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LoadGenerator = 'wrk' | 'autocannon';

export interface LoadRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
  /** Seconds. */
  readonly duration: number;
  /** Run the load generator on this CPU only (taskset), so that it does not share the server's core. */
  readonly cpu?: number | undefined;
}

export interface LoadResult {
  /** 'node': a scripted closed loop in this process (bench/flows.ts). */
  readonly tool: LoadGenerator | 'node';
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Responses that were not 2xx (wrk: status ≥ 400; 3xx are caught by the pre-check of every case). */
  readonly non2xx: number;
  /** Connect/read/write errors (socket-level). */
  readonly errors: number;
  readonly timeouts: number;
  /** The first error of a scripted run (bench/flows.ts). */
  readonly firstError?: string;
}

export function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && /wrk/i.test(`${probe.stdout}${probe.stderr}`);
}

export function chooseLoadGenerator(): LoadGenerator {
  const forced = process.env.BENCH_LOADGEN;
  if (forced === 'wrk' || forced === 'autocannon') {
    if (forced === 'wrk' && !wrkAvailable()) throw new Error('BENCH_LOADGEN=wrk but wrk is not on PATH');
    return forced;
  }
  return wrkAvailable() ? 'wrk' : 'autocannon';
}

export function runLoad(tool: LoadGenerator, request: LoadRequest): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(request) : runAutocannon(request);
}

/** Lua long string: no escaping needed as long as the closing bracket does not occur in the text. */
function luaString(text: string): string {
  let level = 1;
  while (text.includes(`]${'='.repeat(level)}]`)) level++;
  const eq = '='.repeat(level);
  return `[${eq}[${text}]${eq}]`;
}

function wrkScript(request: LoadRequest): string {
  const lines = [`wrk.method = ${luaString(request.method)}`];
  if (request.body !== undefined) lines.push(`wrk.body = ${luaString(request.body)}`);
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nBENCH_RESULT {\\"duration_us\\":%d,\\"requests\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,\\"mean_us\\":%.3f}\\n",',
    '    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99), latency.mean))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

interface WrkSummary {
  duration_us: number;
  requests: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
  mean_us: number;
}

async function runWrk(request: LoadRequest): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'idproo-bench-'));
  const script = join(dir, 'case.lua');
  writeFileSync(script, wrkScript(request));
  try {
    const args = ['-t1', `-c${request.connections}`, `-d${Math.max(1, Math.round(request.duration))}s`, '--timeout', '5s', '-s', script, request.url];
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      const [file, argv] = request.cpu === undefined ? ['wrk', args] : ['taskset', ['-c', String(request.cpu), 'wrk', ...args]];
      execFile(file, argv, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
        if (error) reject(new Error(`wrk failed: ${error.message}\n${out}\n${err}`));
        else resolve({ stdout: out, stderr: err });
      });
    });
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}\n${stderr}`);
    const s = JSON.parse(line.slice('BENCH_RESULT '.length)) as WrkSummary;
    const seconds = s.duration_us / 1e6;
    return {
      tool: 'wrk',
      requests: s.requests,
      seconds,
      rps: s.requests / seconds,
      p50Ms: s.p50_us / 1000,
      p99Ms: s.p99_us / 1000,
      meanMs: s.mean_us / 1000,
      non2xx: s.status,
      errors: s.connect + s.read + s.write,
      timeouts: s.timeout,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let pinnedSelf = false;

async function runAutocannon(request: LoadRequest): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon');
  if (request.cpu !== undefined && !pinnedSelf) {
    // autocannon runs in this process: pin all of its threads.
    spawnSync('taskset', ['-a', '-p', '-c', String(request.cpu), String(process.pid)], { stdio: 'ignore' });
    pinnedSelf = true;
  }
  const result = await autocannon({
    url: request.url,
    method: request.method,
    headers: { ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: request.connections,
    duration: request.duration,
    timeout: 5,
  });
  const requests = result.requests.total;
  const seconds = result.duration;
  return {
    tool: 'autocannon',
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    non2xx: result.non2xx,
    errors: Math.max(0, result.errors - result.timeouts),
    timeouts: result.timeouts,
  };
}
