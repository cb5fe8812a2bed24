import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const main = join(repo, 'src', 'cli', 'main.ts');

/** An `idproo` process: its output so far, and how it exited. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Settles with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every process spawned here that is still running; for an after() hook. */
export function killRemaining(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The environment of the test runner without any IDPROO_* variable, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('IDPROO_')));
  return { ...clean, IDPROO_LOG_LEVEL: 'warn', ...extra };
}

/** Spawns `node src/cli/main.ts ...args` with the Node running the tests (24+, which runs .ts). */
export function spawnCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [main, ...args], { cwd: options.cwd ?? repo, env: options.env ?? cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const cli: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')).once('close', () => running.delete(child));
    }),
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (cli.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (cli.stderr += chunk));
  return cli;
}

/** Resolves once the banner is out ('listening'), or once the process exits first ('exited'). */
export async function listeningOrExited(cli: CliProcess, timeoutMs = 20_000): Promise<'listening' | 'exited'> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void cli.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (cli.stdout.includes('IdProo is listening')) return 'listening';
    if (exited) return 'exited';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the server neither started nor exited within ${timeoutMs} ms\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`);
}

/** Sends `signal` and returns the exit code, failing if the process takes longer than `timeoutMs`. */
export async function stopCli(cli: CliProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5_000): Promise<number | string> {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null) return cli.exited;
  cli.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(new Error(`no exit within ${timeoutMs} ms of ${signal}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([cli.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port that was free a moment ago: listen on 0, read the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
