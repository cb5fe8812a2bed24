import { clientDefaults } from '../../src/stores/client-defaults.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { IdProoConfigInput } from '../../src/config/schema.ts';
import { hashSecretValue } from '../../src/config/secrets.ts';
import { ConfigurationConflictError, createIdProo, openSqliteStores, type Client } from '../../src/index.ts';
import { basic, postForm, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-sync-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `sync-${++files}.db`);

const service = (clientId: string, secret: string, allowedScopes = ['invoices']) => ({ clientId, clientSecrets: [secret], allowedGrantTypes: ['client_credentials' as const], allowedScopes });

const config = (clients: IdProoConfigInput['clients']): IdProoConfigInput => ({
  apiScopes: [{ name: 'invoices' }, { name: 'orders' }],
  apiResources: [{ name: 'urn:invoices', scopes: ['invoices', 'orders'] }],
  users: [{ subjectId: 'file-user', username: 'alice', password: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA' }],
  clients,
});

/** A client as an admin API or dynamic client registration would write it. */
const registered: Client = {
  ...clientDefaults,
  clientId: 'registered',
  enabled: true,
  clientSecrets: [{ type: 'sha256', hash: hashSecretValue('sha256', 'registered-secret') }],
  requireClientSecret: true,
  allowedGrantTypes: ['client_credentials'],
  redirectUris: [],
  postLogoutRedirectUris: [],
  allowedScopes: ['reports'],
  requirePkce: true,
  requireConsent: false,
  allowOfflineAccess: false,
  accessTokenType: 'jwt',
  accessTokenLifetime: 600,
};

async function tokenStatus(issuer: string, clientId: string, secret: string, scope: string): Promise<string> {
  const answer = await postForm(`${issuer}/connect/token`, { grant_type: 'client_credentials', scope }, { authorization: basic(clientId, secret) });
  return answer.status === 200 ? 'token' : String(answer.json?.error);
}

describe('the configuration file at start, against entries written through the store', () => {
  it('a restart applies the changed file to its own clients and leaves a client, scope, API and user added through the store', async () => {
    const path = freshPath();
    const dataProtectionKey = randomBytes(32);
    const first = await startTestServer({ config: config([service('a', 'a-secret'), service('b', 'b-secret')]), stores: openSqliteStores(path), dataProtectionKey });
    try {
      const { stores } = first.idproo.services;
      await stores.resources.saveResource('apiScope', { name: 'reports', enabled: true, userClaims: [] });
      await stores.resources.saveResource('apiResource', { name: 'urn:reports', enabled: true, scopes: ['reports'], apiSecrets: [], userClaims: [], allowedAccessTokenSigningAlgorithms: [] });
      await stores.clients.saveClient(registered);
      await stores.users.saveUser({ subjectId: 'signed-up', username: 'bob', passwordHash: 'hash', enabled: true, claims: {} });
    } finally {
      await first.close();
    }

    // The file drops b, gives a a new secret and scope, and adds c.
    const second = await startTestServer({
      config: config([service('a', 'a-new-secret', ['orders']), service('c', 'c-secret')]),
      stores: openSqliteStores(path),
      dataProtectionKey,
    });
    try {
      const { issuer } = second;
      assert.equal(await tokenStatus(issuer, 'registered', 'registered-secret', 'reports'), 'token', 'the registered client and its resources survived');
      assert.equal(await tokenStatus(issuer, 'a', 'a-new-secret', 'orders'), 'token');
      assert.equal(await tokenStatus(issuer, 'a', 'a-secret', 'orders'), 'invalid_client', 'the old secret of a is gone');
      assert.equal(await tokenStatus(issuer, 'a', 'a-new-secret', 'invoices'), 'invalid_scope');
      assert.equal(await tokenStatus(issuer, 'b', 'b-secret', 'invoices'), 'invalid_client', 'b, no longer in the file, is gone');
      assert.equal(await tokenStatus(issuer, 'c', 'c-secret', 'invoices'), 'token');
      const { users } = second.idproo.services.stores;
      assert.equal((await users.findUserByUsername('bob'))?.subjectId, 'signed-up');
      assert.equal((await users.findUserByUsername('alice'))?.subjectId, 'file-user');
    } finally {
      await second.close();
    }
  });

  it('a file that lists the id of a client added through the store stops the start, naming the id and the fix, and changes nothing', async () => {
    const path = freshPath();
    const first = await startTestServer({ config: config([service('a', 'a-secret')]), stores: openSqliteStores(path) });
    await first.idproo.services.stores.clients.saveClient(registered);
    await first.close();

    const stores = openSqliteStores(path);
    try {
      await assert.rejects(
        createIdProo({ config: config([service('b', 'b-secret'), service('registered', 'taken-over')]), issuer: 'http://127.0.0.1', stores }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigurationConflictError);
          assert.match(error.message, /client "registered"/);
          assert.match(error.message, /rename it in the configuration file/);
          assert.match(error.message, /stores\.clients\.removeClient/);
          return true;
        },
      );
      assert.deepEqual((await stores.clients.listClients()).map((c) => c.clientId).sort(), ['a', 'registered']);
      assert.deepEqual(await stores.clients.findClientById('registered'), registered);
    } finally {
      await stores.close();
    }
  });
});
