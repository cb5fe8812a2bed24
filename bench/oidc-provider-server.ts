/**
 * The reference server of the benchmark: oidc-provider configured like IdProo's bench configs, in its own
 * process. Usage: node bench/oidc-provider-server.ts --port <port> --mode main|es256|rs256
 *
 *  - main:  ES256 + RS256 keys; the resource server issues opaque (reference) access tokens, for the
 *           discovery, jwks and introspection cases.
 *  - es256: one ES256 key; the resource server issues ES256-signed JWT access tokens.
 *  - rs256: one RS256 key; the resource server issues RS256-signed JWT access tokens.
 *
 * Clients: "bench"/"bench-secret" (client_credentials, client_secret_basic) and "bench-rs"/"bench-rs-secret",
 * the caller of the introspection endpoint. Resource indicator "urn:bench:api" (the default), scope "api".
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    mode: { type: 'string', default: 'main' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
const mode = values.mode ?? 'main';
if (!Number.isInteger(port) || port <= 0) throw new Error('--port <port> is required');
if (!['main', 'es256', 'rs256'].includes(mode)) throw new Error('--mode must be main, es256 or rs256');

const algs = mode === 'main' ? ['ES256', 'RS256'] : [mode.toUpperCase()];
const keys = [];
for (const alg of algs) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  keys.push({ ...jwk, alg, use: 'sig', kid: `bench-${alg.toLowerCase()}` });
}

const resource = 'urn:bench:api';
const resourceServer =
  mode === 'main'
    ? { scope: 'api', audience: resource, accessTokenTTL: 3600, accessTokenFormat: 'opaque' }
    : { scope: 'api', audience: resource, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: algs[0] } } };

const issuer = `http://${values.host}:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api',
      // No ID tokens are issued; align the default with the available key so either key set validates.
      id_token_signed_response_alg: algs.includes('RS256') ? 'RS256' : algs[0],
    },
    {
      client_id: 'bench-rs',
      client_secret: 'bench-rs-secret',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: algs.includes('RS256') ? 'RS256' : algs[0],
    },
  ],
  jwks: { keys },
  scopes: ['api'],
  cookies: { keys: ['bench-cookie-key-not-secret'] },
  ttl: { AccessToken: 3600, ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      allowedPolicy: async () => true,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
        if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
        return resourceServer;
      },
    },
  },
});

provider.on('server_error', (_ctx, error) => {
  console.error('server_error', error);
});

const server = createServer(provider.callback());
server.listen(port, values.host, () => {
  console.log(`oidc-provider (${mode}) listening on ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
