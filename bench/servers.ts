/** Child processes of the benchmark: servers (each in its own process) and the raw signing-rate loop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { send } from './http.ts';

export type ServerKind = 'idproo' | 'oidc-provider' | 'bare' | 'floor' | 'floor-tuned' | 'floor-main';
export const serverLabels: Record<ServerKind, string> = {
  idproo: 'IdProo',
  'oidc-provider': 'oidc-provider',
  bare: 'bare node:http',
  floor: 'token floor',
  'floor-tuned': 'token floor, tuned',
  'floor-main': 'token floor, tuned, sync',
};

export interface ServerHandle {
  readonly kind: ServerKind;
  readonly group: string;
  readonly child: ChildProcess;
  readonly base: string;
  readonly logFile: string;
  /** Spawn → first 2xx answer to discovery, ms. */
  readonly startMs: number;
  /** VmRSS (KiB) 0.5 s after the first answer, before any load. */
  readonly idleRssKb: number | undefined;
}

export interface Placement {
  /** CPU for servers and the signing-rate loop, or undefined when not pinned. */
  readonly serverCpu: number | undefined;
  /** CPU for the load generator, or undefined when not pinned. */
  readonly loadgenCpu: number | undefined;
}

/**
 * By default nothing is pinned: each server may use both cores, as deployed. BENCH_PIN=1 pins servers (and the
 * signing loop) to CPU 0 and the load generator to CPU 1 (needs taskset and 2+ CPUs): a single-core view.
 */
export function choosePlacement(): Placement {
  const canPin = availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (process.env.BENCH_PIN === '1' && !canPin) throw new Error('BENCH_PIN=1 needs taskset and at least 2 CPUs');
  const pin = process.env.BENCH_PIN === '1' && canPin;
  return pin ? { serverCpu: 0, loadgenCpu: 1 } : { serverCpu: undefined, loadgenCpu: undefined };
}

/** Prefixes a command with taskset when pinning; taskset execs the command, so the pid stays the same. */
export const pinned = (cpu: number | undefined, file: string, args: string[]): [string, string[]] =>
  cpu === undefined ? [file, args] : ['taskset', ['-c', String(cpu), file, ...args]];

const children = new Set<ChildProcess>();
const cleanup = () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export function procStatus(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface StartOptions {
  readonly rootDir: string;
  readonly logsDir: string;
  readonly cpu: number | undefined;
}

/**
 * Spawns `node <args>` ("{port}" is replaced by a free port) and polls its discovery document every ~5 ms
 * until it answers 2xx; the time from spawn to that answer is the start time.
 */
export async function startServer(kind: ServerKind, group: string, args: string[], options: StartOptions): Promise<ServerHandle> {
  const port = await freePort();
  const fullArgs = args.map((a) => (a === '{port}' ? String(port) : a));
  const logFile = join(options.logsDir, `${kind}-${group}.log`);
  const fd = openSync(logFile, 'w');
  const [file, argv] = pinned(options.cpu, process.execPath, fullArgs);
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: options.rootDir, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
    children.delete(child);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = t0 + 30_000;
  const where = relative(options.rootDir, logFile);
  for (;;) {
    if (exited) throw new Error(`${serverLabels[kind]} (${group}) ${exited} before answering; log ${where}:\n${tail(logFile)}`);
    try {
      const res = await send(`${base}/.well-known/openid-configuration`, { timeoutMs: 1000 });
      if (res.status >= 200 && res.status < 300) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${serverLabels[kind]} (${group}) did not answer within 30 s; log ${where}:\n${tail(logFile)}`);
    }
    await sleep(5);
  }
  const startMs = performance.now() - t0;
  await sleep(500); // let start-up settle, then read the idle RSS before any load
  const idleRssKb = procStatus(child.pid, 'VmRSS');
  return { kind, group, child, base, logFile, startMs, idleRssKb };
}

/** SIGTERM (graceful; a profiled IdProo writes its profile on exit), SIGKILL after `graceMs`. Returns VmHWM (KiB). */
export async function stopServer(server: ServerHandle, graceMs = 3000): Promise<number | undefined> {
  const peak = procStatus(server.child.pid, 'VmHWM');
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  return peak;
}

/**
 * Raw signing rate (signatures/s) from sign-rate.js (compiled from bench/sign-rate.ts) in its own process:
 * asynchronous signatures on the thread pool, on the CPUs the servers get (`cpu`, or all when unpinned).
 */
export function signRate(scriptsDir: string, cpu: number | undefined, seconds: number, alg?: 'ES256' | 'RS256'): Promise<Partial<Record<'ES256' | 'RS256', number>>> {
  const [file, argv] = pinned(cpu, process.execPath, [join(scriptsDir, 'sign-rate.js'), '--seconds', String(seconds), '--mode', 'pool', ...(alg ? ['--alg', alg] : [])]);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => {
      children.delete(child);
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Partial<Record<'ES256' | 'RS256', number>>);
      } catch (error) {
        reject(new Error(`sign-rate failed (${(error as Error).message}): ${err}`));
      }
    });
  });
}
