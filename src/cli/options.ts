import { parseArgs } from 'node:util';
import { parseIssuer } from '../config/schema.ts';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface StartOptions {
  readonly config: string;
  readonly port: number;
  readonly host: string;
  readonly issuer: string | undefined;
  readonly db: string;
  readonly dataKey: string | undefined;
  readonly logLevel: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Flags win over environment variables, which win over defaults. */
export function parseStartOptions(args: readonly string[], env: Env): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        issuer: { type: 'string' },
        db: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const portText = values.port ?? env.IDPROO_PORT ?? '5000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`${values.port === undefined ? 'IDPROO_PORT' : '--port'} must be a number from 0 to 65535, not "${portText}"`);
  }
  const issuerText = values.issuer ?? env.IDPROO_ISSUER;
  const issuer = issuerText === undefined ? undefined : parseIssuer(issuerText);
  if (issuer && !issuer.success) {
    throw new UsageError(`${values.issuer === undefined ? 'IDPROO_ISSUER' : '--issuer'}: ${issuer.message}`);
  }
  const logLevel = env.IDPROO_LOG_LEVEL ?? 'info';
  if (!logLevels.includes(logLevel)) throw new UsageError(`IDPROO_LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}"`);
  return {
    config: values.config ?? env.IDPROO_CONFIG ?? 'idproo.json',
    port,
    host: values.host ?? env.IDPROO_HOST ?? '127.0.0.1',
    issuer: issuer?.success ? issuer.data : undefined,
    db: values.db ?? env.IDPROO_DB ?? 'sqlite:./data/idproo.db',
    dataKey: env.IDPROO_DATA_KEY,
    logLevel,
  };
}

const loopbackOrAny = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);

/** The issuer when none is configured: what a browser on this machine would type. */
export function defaultIssuer(host: string, port: number): string {
  const name = loopbackOrAny.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

export const helpText = `IdProo: an OpenID Connect and OAuth 2.0 server

Usage:
  idproo start [options]         start the server
  idproo config check FILE       validate a configuration file and exit (0 valid, 1 invalid)
  idproo --help | --version

Options for start (each also read from the environment variable shown):
  -c, --config FILE   configuration file (JSON)           IDPROO_CONFIG   default: idproo.json
  -p, --port N        port to listen on                    IDPROO_PORT     default: 5000
      --host H        address to listen on                 IDPROO_HOST     default: 127.0.0.1
      --issuer URL    issuer URL (overrides the config)    IDPROO_ISSUER   default: http://localhost:PORT
      --db URL        sqlite:PATH or memory:               IDPROO_DB       default: sqlite:./data/idproo.db

Environment only:
  IDPROO_DATA_KEY     32 bytes (base64 or hex) that encrypt signing keys at rest; without it a key
                      file is created beside the database. Production must set it.
  IDPROO_LOG_LEVEL    trace, debug, info (default), warn, error, silent

Documentation: docs/configuration.md, docs/cli.md
`;
