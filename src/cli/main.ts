#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { helpText, parseStartOptions, UsageError } from './options.ts';
import { start } from './start.ts';

const version = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Exit codes: 0 success, 1 invalid configuration or failed start, 2 wrong usage. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(helpText);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (command === 'config' && rest[0] === 'check' && rest.length === 2) {
    await loadConfigFile(rest[1]!);
    process.stdout.write(`${rest[1]}: valid\n`);
    return 0;
  }
  if (command === 'start') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText);
      return 0;
    }
    const server = await start(parseStartOptions(rest, process.env));
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(1);
      process.stderr.write(`${signal} received: finishing in-flight requests\n`);
      server.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return undefined;
  }
  throw new UsageError(`unknown command "${argv.join(' ')}"`);
}

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
