import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import {
  cliEnv as env,
  freePort,
  killRemaining,
  listeningOrExited as ready,
  repo,
  spawnCli as spawnInRepo,
  stopCli as stop,
  type CliProcess as Cli,
} from '../support/cli-process.ts';

const demo = join(repo, 'demo', 'idproo.json');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

const dir = mkdtempSync(join(tmpdir(), 'idproo-cli-'));
after(() => {
  killRemaining();
  rmSync(dir, { recursive: true, force: true });
});

let dirs = 0;
const freshDir = () => mkdtempSync(join(dir, `run-${++dirs}-`));

/** Spawns the CLI in this suite's scratch directory unless told otherwise. */
const spawnCli = (args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Cli => spawnInRepo(args, { ...options, cwd: options.cwd ?? dir });

/** Runs a command that must exit by itself within `timeoutMs`. */
async function run(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  const cli = spawnCli(args, options);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const code = await cli.exited;
  clearTimeout(timer);
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** Starts the server and waits for its banner; fails with its output if it exits instead. */
async function startServer(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Cli> {
  const cli = spawnCli(['start', ...args], options);
  if ((await ready(cli)) !== 'listening') {
    assert.fail(`the server exited with ${await cli.exited}\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`);
  }
  return cli;
}

async function isListening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** One discovery request on a connection that is closed afterwards, so the server is serving and idle again. */
async function served(port: number): Promise<void> {
  const status = await new Promise<number | undefined>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/.well-known/openid-configuration', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  assert.equal(status, 200);
}

async function discovery(port: number): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

async function jwksKids(port: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration/jwks`);
  assert.equal(response.status, 200);
  const { keys } = (await response.json()) as { keys: { kid: string }[] };
  return keys.map((k) => k.kid).sort();
}

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const invalidConfig = writeConfig('invalid.json', {
  apiScopes: [{ name: 'api' }],
  clients: [
    { clientId: 'web', clientSecrets: ['s'], allowedGrantTypes: ['authorization_code'], allowedScopes: ['api'], redirectUris: ['https://app.example.com/cb#fragment'] },
  ],
});

describe('idproo usage', { concurrency: true }, () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { code, stdout, stderr } = await run([flag]);
      assert.equal(code, 0, flag);
      assert.match(stdout, /idproo start \[options\]/);
      assert.match(stdout, /idproo config check FILE/);
      assert.match(stdout, /IDPROO_DATA_KEY/);
      assert.equal(stderr, '');
    }
  });

  it('start --help prints the usage and exits 0 without starting', async () => {
    const { code, stdout } = await run(['start', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /--port N/);
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await run(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${version}\n`);
  });

  it('no arguments prints the usage and exits 2', async () => {
    const { code, stdout, stderr } = await run([]);
    assert.equal(code, 2);
    assert.match(stdout + stderr, /idproo start \[options\]/);
    assert.match(stdout + stderr, /config check/);
  });

  it('an unknown command exits 2 and points at --help', async () => {
    const { code, stderr } = await run(['serve']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "serve"/);
    assert.match(stderr, /idproo --help/);
  });

  it('an unknown start option exits 2', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--verbose']);
    assert.equal(code, 2);
    assert.match(stderr, /--verbose/);
  });

  it('a start positional argument exits 2', async () => {
    const { code } = await run(['start', demo]);
    assert.equal(code, 2);
  });

  it('a port that is not a number exits 2 and names --port', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'memory:', '--port', 'http']);
    assert.equal(code, 2);
    assert.match(stderr, /--port must be a number from 0 to 65535, not "http"/);
    const high = await run(['start', '--config', demo, '--db', 'memory:', '--port', '65536']);
    assert.equal(high.code, 2);
  });

  // The value came from the environment, so the message names IDPROO_PORT, not --port.
  it('an IDPROO_PORT that is not a number exits 2 and names IDPROO_PORT', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'memory:'], { env: env({ IDPROO_PORT: 'http' }) });
    assert.equal(code, 2);
    assert.match(stderr, /IDPROO_PORT/);
  });

  // pino's own message ("default level:bogus must be included in custom levels") does not name the variable.
  it('an unknown IDPROO_LOG_LEVEL exits 2 and names the variable and its values', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'memory:', '--port', '0'], { env: env({ IDPROO_LOG_LEVEL: 'verbose' }) });
    assert.equal(code, 2);
    assert.match(stderr, /IDPROO_LOG_LEVEL/);
    assert.match(stderr, /debug/);
  });
});

describe('idproo config check', { concurrency: true }, () => {
  it('accepts the demo configuration', async () => {
    const { code, stdout, stderr } = await run(['config', 'check', demo]);
    assert.equal(code, 0);
    assert.equal(stdout, `${demo}: valid\n`);
    assert.equal(stderr, '');
  });

  it('resolves a relative path against the working directory', async () => {
    const { code } = await run(['config', 'check', 'demo/idproo.json'], { cwd: repo });
    assert.equal(code, 0);
  });

  it('rejects an invalid file with exit 1, naming the path of each problem on stderr', async () => {
    const { code, stdout, stderr } = await run(['config', 'check', invalidConfig]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^${invalidConfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid configuration\\n`));
    assert.match(stderr, /\n {2}clients\[0\]\.redirectUris\[0\]: must be an absolute URI without a fragment/);
  });

  it('rejects a file that is not JSON with exit 1', async () => {
    const file = join(dir, 'not-json.json');
    writeFileSync(file, 'clients: []\n');
    const { code, stderr } = await run(['config', 'check', file]);
    assert.equal(code, 1);
    assert.match(stderr, /\(root\): is not valid JSON/);
  });

  // "pass an existing file with --config" is advice for `start`; `config check` has no --config.
  it('rejects a missing file with exit 1, naming it, without advice about --config', async () => {
    const file = join(dir, 'does-not-exist.json');
    const { code, stderr } = await run(['config', 'check', file]);
    assert.equal(code, 1);
    assert.match(stderr, /does-not-exist\.json/);
    assert.match(stderr, /not found/);
    assert.doesNotMatch(stderr, /--config/);
  });

  // Not 'unknown command "config check"', which would suggest that "config check" does not exist.
  it('without a file exits 2 and says a FILE is needed', async () => {
    const { code, stderr } = await run(['config', 'check']);
    assert.equal(code, 2);
    assert.doesNotMatch(stderr, /unknown command/);
    assert.match(stderr, /FILE|file/);
  });

  it('with two files exits 2', async () => {
    const { code } = await run(['config', 'check', demo, demo]);
    assert.equal(code, 2);
  });
});

describe('idproo start', { concurrency: 4 }, () => {
  it('SIGTERM lets a request in flight finish with its answer, then exits 0', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    const body = 'grant_type=client_credentials&scope=demo-api';
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // Headers and half of the body now; the rest after the signal.
    socket.write(
      `POST /connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${Buffer.from('demo-service:demo-secret').toString('base64')}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(cli.child.exitCode, null, 'the process waits for the request in flight');
    socket.write(body.slice(10));
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), 8_000);
    assert.equal(await cli.exited, 0);
    clearTimeout(timer);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(answer, /^HTTP\/1\.1 200 /, cli.stderr + cli.stdout);
    assert.match(answer, /"access_token":"/);
    socket.destroy();
  });

  it('with an invalid configuration exits 1, prints the problems and listens on nothing', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await run(['start', '--config', invalidConfig, '--db', 'memory:', '--port', String(port)]);
    assert.equal(code, 1);
    assert.match(stderr, /clients\[0\]\.redirectUris\[0\]: must be an absolute URI/);
    assert.doesNotMatch(stdout, /IdProo is listening/);
    assert.equal(await isListening(port), false);
  });

  it('without a configuration file exits 1 and says how to pass one', async () => {
    const cwd = freshDir();
    const { code, stderr } = await run(['start', '--db', 'memory:', '--port', '0'], { cwd });
    assert.equal(code, 1);
    assert.match(stderr, /idproo\.json/);
    assert.match(stderr, /file not found/);
    assert.match(stderr, /--config/);
  });

  it('serves discovery at http://localhost:PORT, prints the discovery URL and a curl command that works', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    try {
      const issuer = `http://localhost:${port}`;
      const metadata = await discovery(port);
      assert.equal(metadata.issuer, issuer);
      assert.equal(metadata.token_endpoint, `${issuer}/connect/token`);
      assert.equal(metadata.jwks_uri, `${issuer}/.well-known/openid-configuration/jwks`);

      assert.ok(cli.stdout.includes(`Discovery: ${issuer}/.well-known/openid-configuration`), cli.stdout);
      const curl = /^\s*(curl .*)$/m.exec(cli.stdout)?.[1];
      assert.equal(curl, `curl -s -u demo-service:demo-secret -d grant_type=client_credentials -d scope=demo-api ${issuer}/connect/token`);

      // What that curl command does: Basic authentication and a form body.
      const words = curl!.split(' ');
      const credentials = words[words.indexOf('-u') + 1]!;
      const form = new URLSearchParams(words.flatMap((w, i) => (words[i - 1] === '-d' ? [w.split('=') as [string, string]] : [])));
      const response = await fetch(words.at(-1)!, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.scope, 'demo-api');
      assert.equal(typeof body.access_token, 'string');
      assert.equal((body.access_token as string).split('.').length, 3);
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  it('reflects --issuer in discovery and in the banner', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port), '--issuer', 'https://id.example.com']);
    try {
      const metadata = await discovery(port);
      assert.equal(metadata.issuer, 'https://id.example.com');
      assert.equal(metadata.token_endpoint, 'https://id.example.com/connect/token');
      assert.match(cli.stdout, /Discovery: https:\/\/id\.example\.com\/\.well-known\/openid-configuration/);
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  it('prefers --issuer over the issuer in the configuration file', async () => {
    const file = writeConfig('with-issuer.json', { ...(JSON.parse(readFileSync(demo, 'utf8')) as object), issuer: 'https://from-file.example.com' });
    const port = await freePort();
    const fromFile = await startServer(['--config', file, '--db', 'memory:', '--port', String(port)]);
    try {
      assert.equal((await discovery(port)).issuer, 'https://from-file.example.com');
    } finally {
      assert.equal(await stop(fromFile), 0);
    }
    const overridden = await startServer(['--config', file, '--db', 'memory:', '--port', String(port), '--issuer', 'https://from-flag.example.com']);
    try {
      assert.equal((await discovery(port)).issuer, 'https://from-flag.example.com');
    } finally {
      assert.equal(await stop(overridden), 0);
    }
  });

  // The issuer from --issuer/IDPROO_ISSUER passes the same check as the one in the configuration file.
  it('refuses an --issuer that the configuration schema would refuse', async () => {
    const port = await freePort();
    const cli = spawnCli(['start', '--config', demo, '--db', 'memory:', '--port', String(port), '--issuer', 'ftp://id.example.com/?x=1']);
    const outcome = await ready(cli);
    if (outcome === 'listening') await stop(cli, 'SIGKILL');
    assert.equal(outcome, 'exited', 'the server started with an ftp issuer');
    assert.notEqual(await cli.exited, 0);
    assert.match(cli.stderr, /issuer/i);
  });

  it('honours IDPROO_CONFIG, IDPROO_PORT, IDPROO_DB and IDPROO_ISSUER', async () => {
    const port = await freePort();
    const data = freshDir();
    const cli = await startServer([], {
      cwd: data,
      env: env({ IDPROO_CONFIG: demo, IDPROO_PORT: String(port), IDPROO_DB: `sqlite:${join(data, 'env.db')}`, IDPROO_ISSUER: 'https://env.example.com' }),
    });
    try {
      assert.equal((await discovery(port)).issuer, 'https://env.example.com');
      assert.ok(existsSync(join(data, 'env.db')));
      assert.ok(!existsSync(join(data, 'data')), 'the default database path was used');
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  it('lets flags win over environment variables', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port), '--issuer', 'https://flag.example.com'], {
      env: env({ IDPROO_CONFIG: invalidConfig, IDPROO_PORT: '1', IDPROO_DB: 'sqlite:/nonexistent/dir/x.db', IDPROO_ISSUER: 'https://env.example.com' }),
    });
    try {
      assert.equal((await discovery(port)).issuer, 'https://flag.example.com');
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  // OIDC Discovery 1.0 §4.3 / RFC 8414 §3.3: a client compares the issuer with the URL it discovered
  // at, and a resource server compares `iss` with it; both must hold for the address the client was given.
  for (const [label, host, origin] of [
    ['--host 127.0.0.1', '127.0.0.1', (port: number) => `http://127.0.0.1:${port}`],
    ['--host ::1', '::1', (port: number) => `http://[::1]:${port}`],
    ['no --host', undefined, (port: number) => `http://localhost:${port}`],
  ] as const) {
    it(`with ${label} and no issuer configured, openid-client discovers at ${origin(0).replace(':0', ':PORT')} and tokens carry that issuer`, async () => {
      const port = await freePort();
      const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port), ...(host ? ['--host', host] : [])]);
      try {
        const issuer = origin(port);
        const rp = await client.discovery(new URL(issuer), 'demo-service', undefined, client.ClientSecretBasic('demo-secret'), { execute: [client.allowInsecureRequests] });
        assert.equal(rp.serverMetadata().issuer, issuer);
        const tokens = await client.clientCredentialsGrant(rp, { scope: 'demo-api' });
        const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!)), { issuer, audience: 'urn:idproo:demo-api' });
        assert.equal(payload.iss, issuer);
        assert.ok(cli.stdout.includes(`Discovery: ${issuer}/.well-known/openid-configuration`), cli.stdout);
      } finally {
        assert.equal(await stop(cli), 0);
      }
    });
  }

  it('with --host 0.0.0.0 the issuer is http://localhost:PORT', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port), '--host', '0.0.0.0']);
    try {
      assert.equal((await discovery(port)).issuer, `http://localhost:${port}`);
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  // 127.0.0.2 is a loopback address on Linux only; as a specific address it also names the default issuer.
  it('honours IDPROO_HOST', { skip: process.platform !== 'linux' && 'needs 127.0.0.2 on the loopback interface' }, async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)], { env: env({ IDPROO_HOST: '127.0.0.2' }) });
    try {
      const response = await fetch(`http://127.0.0.2:${port}/.well-known/openid-configuration`);
      assert.equal(((await response.json()) as { issuer: string }).issuer, `http://127.0.0.2:${port}`);
      assert.equal(await isListening(port), false, 'also listening on 127.0.0.1');
      assert.ok(cli.stdout.includes(`Discovery: http://127.0.0.2:${port}/.well-known/openid-configuration`));
    } finally {
      assert.equal(await stop(cli), 0);
    }
  });

  it('with sqlite: creates the database and a 0600 data-protection.key beside it, and keeps the signing keys across restarts, encrypted', async () => {
    const data = freshDir();
    const db = join(data, 'nested', 'x.db');
    const keyFile = join(data, 'nested', 'data-protection.key');
    const port = await freePort();
    const args = ['--config', demo, '--db', `sqlite:${db}`, '--port', String(port)];

    const first = await startServer(args);
    let kids: string[];
    try {
      kids = await jwksKids(port);
      assert.equal(kids.length, 2, 'one RS256 and one ES256 key');
    } finally {
      assert.equal(await stop(first), 0);
    }
    assert.ok(existsSync(db));
    assert.ok(existsSync(keyFile));
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
    const keyFileBefore = readFileSync(keyFile, 'utf8');

    const second = await startServer(args);
    try {
      assert.deepEqual(await jwksKids(port), kids);
    } finally {
      assert.equal(await stop(second), 0);
    }
    assert.equal(readFileSync(keyFile, 'utf8'), keyFileBefore, 'the key file was rewritten');

    const sqlite = new DatabaseSync(db, { readOnly: true });
    try {
      const rows = sqlite.prepare('SELECT kid, alg, data FROM signing_keys ORDER BY kid').all() as { kid: string; alg: string; data: string }[];
      assert.deepEqual(rows.map((r) => r.kid).sort(), kids);
      assert.deepEqual(rows.map((r) => r.alg).sort(), ['ES256', 'RS256']);
      for (const row of rows) {
        assert.match(row.data, /^v1\.[A-Za-z0-9_-]+$/, 'signing key stored as a data-protection blob');
        assert.doesNotMatch(row.data, /"d":/);
        assert.doesNotMatch(row.data, /"kty"/);
      }
      const dump = JSON.stringify(sqlite.prepare('SELECT * FROM signing_keys').all());
      assert.doesNotMatch(dump, /"d\\?":/);
    } finally {
      sqlite.close();
    }
  });

  it('with IDPROO_DATA_KEY creates no key file and reads its keys back with the same key', async () => {
    const data = freshDir();
    const db = join(data, 'x.db');
    const port = await freePort();
    const dataKey = randomBytes(32).toString('base64');
    const args = ['--config', demo, '--db', `sqlite:${db}`, '--port', String(port)];

    const first = await startServer(args, { env: env({ IDPROO_DATA_KEY: dataKey }) });
    let kids: string[];
    try {
      kids = await jwksKids(port);
    } finally {
      assert.equal(await stop(first), 0);
    }
    assert.ok(existsSync(db));
    assert.ok(!existsSync(join(data, 'data-protection.key')));

    const hex = Buffer.from(dataKey, 'base64').toString('hex');
    const second = await startServer(args, { env: env({ IDPROO_DATA_KEY: hex }) });
    try {
      assert.deepEqual(await jwksKids(port), kids, 'the same key written as hex decrypts the stored keys');
    } finally {
      assert.equal(await stop(second), 0);
    }
    assert.ok(!existsSync(join(data, 'data-protection.key')));
  });

  it('with an invalid IDPROO_DATA_KEY exits 1 with a message that says how to make one', async () => {
    const data = freshDir();
    const port = await freePort();
    for (const bad of ['too-short', randomBytes(16).toString('base64'), 'a'.repeat(63)]) {
      const { code, stderr } = await run(['start', '--config', demo, '--db', `sqlite:${join(data, 'x.db')}`, '--port', String(port)], { env: env({ IDPROO_DATA_KEY: bad }) });
      assert.equal(code, 1, bad);
      assert.match(stderr, /IDPROO_DATA_KEY must be 32 random bytes written as base64 or hex; make one with: openssl rand -base64 32/);
      assert.ok(!stderr.includes(bad), 'the key itself is not echoed');
    }
    assert.equal(await isListening(port), false);
    assert.ok(!existsSync(join(data, 'data-protection.key')));
  });

  it('with an unsupported --db exits 1 and lists the accepted forms', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'mysql://user:hunter2@db/idproo', '--port', '0']);
    assert.equal(code, 1);
    assert.match(stderr, /store scheme "mysql:" is not supported/);
    assert.match(stderr, /memory:.*postgres:\/\//);
    assert.doesNotMatch(stderr, /hunter2/);
  });

  it('with a postgres --db and no IDPROO_DATA_KEY exits 2 and says why the nodes need one', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'postgres://user:hunter2@db/idproo', '--port', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /a PostgreSQL database needs IDPROO_DATA_KEY, the same on every node/);
    assert.match(stderr, /openssl rand -base64 32/);
    assert.doesNotMatch(stderr, /hunter2/);
  });

  it('with an unreachable postgres --db exits 1 naming the server, never the password', async () => {
    const { code, stderr } = await run(['start', '--config', demo, '--db', 'postgres://user:hunter2@127.0.0.1:1/idproo', '--port', '0'], {
      env: env({ IDPROO_DATA_KEY: randomBytes(32).toString('base64') }),
    });
    assert.equal(code, 1);
    assert.match(stderr, /opening the PostgreSQL store at 127\.0\.0\.1:1\/idproo failed: .*ECONNREFUSED/);
    assert.doesNotMatch(stderr, /hunter2/);
  });

  it('exits 0 on SIGTERM while idle, within a few seconds', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    await served(port);
    const started = Date.now();
    assert.equal(await stop(cli, 'SIGTERM', 5_000), 0);
    assert.ok(Date.now() - started < 5_000);
    assert.match(cli.stderr, /SIGTERM received/);
  });

  it('exits 0 on SIGINT', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    await served(port);
    assert.equal(await stop(cli, 'SIGINT', 5_000), 0);
    assert.match(cli.stderr, /SIGINT received/);
  });

  it('exits 0 on SIGTERM with an idle keep-alive connection open', async () => {
    const port = await freePort();
    const cli = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    // fetch keeps the connection alive in its pool; the server must not wait for it.
    await discovery(port);
    assert.equal(await stop(cli, 'SIGTERM', 5_000), 0);
  });

  it('a second instance on the same port exits 1 with EADDRINUSE while the first keeps serving', async () => {
    const port = await freePort();
    const first = await startServer(['--config', demo, '--db', 'memory:', '--port', String(port)]);
    try {
      const second = await run(['start', '--config', demo, '--db', 'memory:', '--port', String(port)]);
      assert.equal(second.code, 1);
      assert.match(second.stderr, /EADDRINUSE/);
      assert.match(second.stderr, new RegExp(String(port)));
      assert.doesNotMatch(second.stdout, /IdProo is listening/);
      assert.equal((await discovery(port)).issuer, `http://localhost:${port}`);
    } finally {
      assert.equal(await stop(first), 0);
    }
  });
});
