#!/usr/bin/env -S node --max-semi-space-size=1
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { migrateDatabase } from './migrate.ts';
import { helpText, parseMigrateOptions, parseStartOptions, UsageError } from './options.ts';
import { start } from './start.ts';

const version = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Exit codes: 0 success, 1 invalid configuration or failed start, 2 wrong usage. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(helpText);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(helpText);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (command === 'config' && rest[0] === 'check') {
    if (rest.length !== 2) throw new UsageError('config check needs exactly one FILE, e.g. idproo config check idproo.json');
    await loadConfigFile(rest[1]!);
    process.stdout.write(`${rest[1]}: valid\n`);
    return 0;
  }
  if (command === 'migrate') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText);
      return 0;
    }
    const { db } = parseMigrateOptions(rest, process.env);
    process.stdout.write(`${await migrateDatabase(db)}\n`);
    return 0;
  }
  if (command === 'start') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText);
      return 0;
    }
    const options = parseStartOptions(rest, process.env);
    // Handlers go in before start so that a signal during start-up also ends the process cleanly.
    let server: Awaited<ReturnType<typeof start>> | undefined;
    let stopping = false;
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(1);
      stopping = true;
      process.stderr.write(`${signal} received: finishing in-flight requests\n`);
      if (server) server.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    server = await start(options);
    if (stopping) await server.close().then(() => process.exit(0));
    return undefined;
  }
  throw new UsageError(`unknown command "${argv.join(' ')}"`);
}

// `idproo --help | head` closes the pipe early; that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else if (error instanceof UsageError) {
      process.stderr.write(`idproo: ${error.message}\nRun "idproo --help" for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`idproo: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
