import { parseArgs } from 'node:util';
import { parseIssuer } from '../config/schema.ts';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface StartOptions {
  readonly config: string;
  readonly port: number;
  /** The address to listen on, as given by --host or IDPROO_HOST; undefined when neither was given. */
  readonly host: string | undefined;
  readonly issuer: string | undefined;
  readonly db: string;
  readonly dataKey: string | undefined;
  readonly logLevel: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Env = Readonly<Record<string, string | undefined>>;

const defaultDb = 'sqlite:./data/idproo.db';

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
  const db = values.db ?? env.IDPROO_DB ?? defaultDb;
  // Every node decrypts the signing keys in the shared database with this key; a key made up at start
  // would make the keys written by the last start unreadable. A SQLite file keeps one beside itself.
  if (/^postgres(ql)?:/i.test(db) && !env.IDPROO_DATA_KEY) {
    throw new UsageError(
      'a PostgreSQL database needs IDPROO_DATA_KEY, the same on every node: it encrypts the signing keys stored there; make one with: openssl rand -base64 32',
    );
  }
  return {
    config: values.config ?? env.IDPROO_CONFIG ?? 'idproo.json',
    port,
    host: values.host ?? env.IDPROO_HOST,
    issuer: issuer?.success ? issuer.data : undefined,
    db,
    dataKey: env.IDPROO_DATA_KEY,
    logLevel,
  };
}

/** `idproo migrate [--db URL]`: the database as `start` would open it (flag, then IDPROO_DB, then the default). */
export function parseMigrateOptions(args: readonly string[], env: Env): { readonly db: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], strict: true, allowPositionals: false, options: { db: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const db = values.db ?? env.IDPROO_DB ?? defaultDb;
  if (db === 'memory:') throw new UsageError('memory: keeps no schema to migrate; give --db sqlite:PATH or --db postgres://…');
  return { db };
}

/** Where `idproo start` listens when no host is given: this machine only. */
export const defaultHost = '127.0.0.1';

// Binding to every interface names no address a client could use; localhost is what a browser on this machine types.
const wildcards = new Set(['0.0.0.0', '::']);

/**
 * The issuer when none is configured. A host given explicitly is the address clients reach the server
 * at, so it is used as written: OIDC Discovery 1.0 §4.3 and RFC 8414 §3.3 make a client compare the
 * issuer with the URL it fetched metadata from, and `http://localhost:N` would fail that check for a
 * client that was told `http://127.0.0.1:N`. Only the default host and wildcard binds give localhost.
 */
export function defaultIssuer(host: string | undefined, port: number): string {
  const name = host === undefined || wildcards.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const issuer = parseIssuer(`http://${name}:${port}`);
  // An IPv6 zone id (fe80::1%eth0) can be listened on but cannot be written in a URL (WHATWG URL §3.5).
  if (!issuer.success) throw new UsageError(`the host ${JSON.stringify(host)} makes no valid issuer URL (${issuer.message}); pass --issuer or IDPROO_ISSUER`);
  return issuer.data;
}

export const helpText = `IdProo: an OpenID Connect and OAuth 2.0 server

Usage:
  idproo start [options]         start the server
  idproo config check FILE       validate a configuration file and exit (0 valid, 1 invalid)
  idproo migrate [--db URL]      bring the database schema up to date and exit
  idproo --help | --version

Options for start (each also read from the environment variable shown; migrate takes --db):
  -c, --config FILE   configuration file (JSON)           IDPROO_CONFIG   default: idproo.json
  -p, --port N        port to listen on                    IDPROO_PORT     default: 5000
      --host H        address to listen on                 IDPROO_HOST     default: 127.0.0.1
      --issuer URL    issuer URL (overrides the config)    IDPROO_ISSUER   default: see below
      --db URL        sqlite:PATH, postgres://… or memory: IDPROO_DB       default: sqlite:./data/idproo.db

Environment only:
  IDPROO_DATA_KEY     32 bytes (base64 or hex) that encrypt signing keys at rest; without it a key
                      file is created beside a SQLite database. Production must set it; PostgreSQL
                      needs it, the same on every node.
  IDPROO_LOG_LEVEL    trace, debug, info (default), warn, error, silent

The issuer is --issuer, else IDPROO_ISSUER, else "issuer" in the configuration file, else
http://HOST:PORT with the host as given (--host 127.0.0.1 gives http://127.0.0.1:PORT, --host ::1
gives http://[::1]:PORT), or http://localhost:PORT when no host is given or it is 0.0.0.0 or ::.
Clients must reach the server at exactly that URL.

Documentation: docs/configuration.md, docs/cli.md
`;
