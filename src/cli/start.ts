import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { loadConfigFile } from '../config/load.ts';
import { answerClientError } from '../http/client-error.ts';
import type { IdProoConfig } from '../config/schema.ts';
import { resolveDataKey } from '../keys/data-protection.ts';
import { demoClientProblems, demoUrls, demoUser } from '../demo/demo-client.ts';
import { createIdProo, type IdProo } from '../provider/create-idproo.ts';
import { openStores } from '../stores/open-stores.ts';
import { defaultHost, defaultIssuer, type StartOptions } from './options.ts';

const shutdownGraceMs = 10_000;

/** With demoRelyingParty: the one URL that runs a whole sign-in, or where to read why it cannot at this issuer. */
async function demoLine(idproo: IdProo, config: IdProoConfig): Promise<string | undefined> {
  if (config.demoRelyingParty === undefined) return undefined;
  const { clientId } = config.demoRelyingParty;
  const urls = demoUrls(idproo.issuer);
  const problems = demoClientProblems(clientId, await idproo.services.stores.clients.findClientById(clientId), idproo.issuer);
  if (problems.length > 0) return `The demo sign-in does not work at this issuer; ${urls.home} says why.`;
  const user = demoUser(config.users);
  return `Try a sign-in: ${urls.login}${user === undefined ? '' : ` (user ${user.username}, password ${user.password})`}`;
}

function banner(idproo: IdProo, config: IdProoConfig, demo: string | undefined): string {
  const lines = ['', `IdProo is listening. Discovery: ${idproo.issuer}/.well-known/openid-configuration`];
  if (demo !== undefined) lines.push(demo);
  // The demo configuration (demo/idproo.json) documents its client's secret, so the banner can show a working call.
  if (config.clients.some((c) => c.clientId === 'demo-service')) {
    lines.push('Get an access token for the demo client:', `  curl -s -u demo-service:demo-secret -d grant_type=client_credentials -d scope=demo-api ${idproo.issuer}/connect/token`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** `idproo start`: one process, one provider, graceful on SIGTERM/SIGINT. Resolves once listening. */
export async function start(options: StartOptions, out: NodeJS.WritableStream = process.stdout): Promise<{ close(): Promise<void>; port: number }> {
  const logger = pino({ level: options.logLevel, base: { service: 'idproo' } });
  const config = await loadConfigFile(options.config, '; pass an existing file with --config or IDPROO_CONFIG');
  const sqlitePath = options.db.startsWith('sqlite:') ? options.db.slice('sqlite:'.length) : undefined;
  // The data key is checked before the database is opened, so a wrong key leaves no file behind.
  const dataKey = await resolveDataKey({
    envValue: options.dataKey,
    keyFile: sqlitePath && sqlitePath !== ':memory:' ? resolve(dirname(sqlitePath), 'data-protection.key') : undefined,
  });
  const stores = await openStores(options.db);
  if (dataKey.origin === 'generated-key-file' || dataKey.origin === 'key-file') {
    logger.warn({ file: dataKey.file }, 'signing keys are encrypted with a key file beside the database; production must set IDPROO_DATA_KEY (and keep it out of backups of the database)');
  }

  // Listen first so that port 0 picks a port the default issuer can name; answer 503 until ready.
  let handle = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end('{"error":"temporarily_unavailable","error_description":"the server is starting"}');
  };
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 30_000 }, (req, res) => handle(req, res));
  server.on('clientError', answerClientError);
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? defaultHost, () => resolveListen());
    });
  } catch (error) {
    await stores.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  let idproo: IdProo;
  try {
    idproo = await createIdProo({
      config,
      issuer: options.issuer ?? config.issuer ?? defaultIssuer(options.host, port),
      stores,
      dataProtectionKey: dataKey.key,
      logger,
    });
  } catch (error) {
    server.close();
    await stores.close();
    throw error;
  }
  handle = idproo.handler;
  logger.info({ issuer: idproo.issuer, port, db: options.db.replace(/\/\/[^@]*@/, '//***@') }, 'idproo started');
  out.write(banner(idproo, config, await demoLine(idproo, config)));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolveClose) => {
      // In-flight requests finish; idle keep-alive sockets go now; stragglers are cut after the grace period.
      const timer = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        idproo.close().then(resolveClose, (error: unknown) => {
          logger.error({ err: error }, 'closing the store failed');
          resolveClose();
        });
      });
      server.closeIdleConnections();
    }));
  return { close, port };
}
