import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError, createIdProo, type IdProo, type IdProoOptions } from '../../src/index.ts';
import type { IdProoConfigInput } from '../../src/config/schema.ts';

export interface TestServer {
  readonly idproo: IdProo;
  readonly issuer: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** A provider on a real HTTP server at 127.0.0.1 on a free port; the issuer is that address. */
export async function startTestServer(options: Omit<IdProoOptions, 'issuer'> & { readonly config: IdProoConfigInput }): Promise<TestServer> {
  let handler: IdProo['handler'] | undefined;
  const server = createServer((req, res) => handler!(req, res));
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  let idproo: IdProo;
  try {
    idproo = await createIdProo({ ...options, issuer });
  } catch (error) {
    // A listening server would keep the test process alive after the failure.
    server.close();
    throw error;
  }
  handler = idproo.handler;
  return {
    idproo,
    issuer,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idproo.close();
    },
  };
}

/** A configuration with one API, two scopes, a JWT client, a reference-token client and a second API. */
export const testConfig = (): IdProoConfigInput => ({
  keyManagement: { signingAlgorithms: ['RS256', 'ES256'] },
  identityResources: ['openid', 'profile'],
  apiScopes: [{ name: 'invoices.read' }, { name: 'invoices.write' }, { name: 'orders' }],
  apiResources: [
    { name: 'urn:invoices', scopes: ['invoices.read', 'invoices.write'], apiSecrets: ['invoices-secret'] },
    { name: 'https://orders.example.com', scopes: ['orders'], apiSecrets: ['orders-secret'], allowedAccessTokenSigningAlgorithms: ['ES256'] },
  ],
  clients: [
    {
      clientId: 'service',
      clientSecrets: ['service-secret'],
      allowedGrantTypes: ['client_credentials'],
      allowedScopes: ['invoices.read', 'invoices.write', 'orders', 'openid'],
    },
    {
      clientId: 'reference-service',
      clientSecrets: ['reference-secret'],
      allowedGrantTypes: ['client_credentials'],
      allowedScopes: ['invoices.read', 'orders', 'openid'],
      accessTokenType: 'reference',
    },
    { clientId: 'disabled', enabled: false, clientSecrets: ['disabled-secret'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['invoices.read'] },
    { clientId: 'interactive', clientSecrets: ['interactive-secret'], allowedGrantTypes: ['authorization_code'], allowedScopes: ['invoices.read'], redirectUris: ['https://app.example.com/cb'] },
    { clientId: 'weird:id%', clientSecrets: ['s3cret:with/colon+plus %'], allowedGrantTypes: ['client_credentials'], allowedScopes: ['invoices.read'] },
  ],
});

/** POSTs a form and returns status, headers and parsed JSON (or text). */
export async function postForm(url: string, body: string | Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
