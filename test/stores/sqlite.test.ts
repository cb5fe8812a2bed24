import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { clientDefaults } from '../../src/stores/client-defaults.ts';
import { ConfiguredEntryError, DatabaseInUseError } from '../../src/stores/errors.ts';
import { openSqliteStores } from '../../src/stores/sqlite/sqlite-stores.ts';
import { runStoreContract } from './contract.ts';
import { NOW, apiResource, consent, fullClient, grant, interaction, minimalClient, minimalGrant, resources, session, signingKey, user } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-stores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The schema as IdProo 0.1.0 released it (migration 1 in src/stores/sqlite/schema.ts), copied here so
// that the upgrade is tested from what real databases hold, whatever happens to the source later.
const schemaVersion1 = `
  CREATE TABLE clients (client_id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE resources (
    kind TEXT NOT NULL CHECK (kind IN ('api_scope', 'api_resource', 'identity_resource')),
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (kind, name)
  );
  CREATE TABLE users (subject_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
  CREATE TABLE grants (
    key TEXT PRIMARY KEY, type TEXT NOT NULL, client_id TEXT NOT NULL, subject_id TEXT, session_id TEXT,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, consumed_at INTEGER, data TEXT NOT NULL
  );
  CREATE INDEX grants_subject ON grants (subject_id, client_id, type);
  CREATE INDEX grants_session ON grants (session_id);
  CREATE INDEX grants_client ON grants (client_id, type);
  CREATE INDEX grants_expires_at ON grants (expires_at);
  CREATE TABLE revocations (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
  CREATE INDEX revocations_expires_at ON revocations (expires_at);
  CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, alg TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
`;

// Migrations 2 (who owns each configuration entry) applied on top of the first schema: what 0.1.x databases hold.
const schemaVersion2 = `${schemaVersion1}
  ALTER TABLE clients ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
  ALTER TABLE resources ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
  ALTER TABLE users ADD COLUMN origin TEXT NOT NULL DEFAULT 'configuration' CHECK (origin IN ('configuration', 'store'));
`;

const currentSchemaVersion = 3;

/** A client as stores wrote it before the settings of interactive sign-in existed (clientDefaults holds exactly those). */
function clientWithoutInteractiveSettings(clientId: string): Record<string, unknown> {
  const client: Record<string, unknown> = { ...fullClient(clientId) };
  for (const setting of Object.keys(clientDefaults)) delete client[setting];
  return client;
}

let files = 0;
const freshPath = () => join(dir, `stores-${++files}.db`);

const sqliteStoresModule = new URL('../../src/stores/sqlite/sqlite-stores.ts', import.meta.url).href;

runStoreContract(
  'sqlite file',
  () => {
    const path = freshPath();
    return { stores: openSqliteStores(path), connection: { module: sqliteStoresModule, name: 'openSqliteStores', args: [path, { lock: false }] } };
  },
  { sharedAcrossThreads: true },
);
// No other connection reaches a :memory: database; the file runner above races threads for SQLite.
runStoreContract('sqlite :memory:', () => ({ stores: openSqliteStores(':memory:') }));

describe('sqlite stores on disk', () => {
  it('creates missing parent directories, WAL mode and the schema version', async () => {
    const path = join(dir, 'nested', 'deeper', 'idproo.db');
    await openSqliteStores(path).close();
    const db = new DatabaseSync(path);
    try {
      assert.deepEqual({ ...db.prepare('PRAGMA journal_mode').get() }, { journal_mode: 'wal' });
      assert.deepEqual({ ...db.prepare('PRAGMA user_version').get() }, { user_version: currentSchemaVersion });
    } finally {
      db.close();
    }
  });

  it('keeps everything across close and reopen', async () => {
    const path = freshPath();
    const g = grant();
    const consumed = minimalGrant();
    const s = session();
    const i = interaction();
    const c = consent();
    const first = openSqliteStores(path);
    await first.clients.syncConfiguredClients([fullClient('a')]);
    await first.clients.saveClient(minimalClient('registered'));
    await first.resources.syncConfiguredResources(resources());
    await first.users.syncConfiguredUsers([user('1', 'alice')]);
    await first.users.saveUser(user('2', 'bob'));
    await first.grants.storeGrant(g);
    await first.grants.storeGrant(consumed);
    await first.grants.consumeGrant(consumed.key, NOW);
    await first.revocations.revokeToken('jti', NOW + 1000);
    await first.signingKeys.addKey(signingKey('k1'));
    await first.sessions.createSession(s);
    await first.interactions.createInteraction(i);
    await first.interactions.consumeInteraction(i.key, NOW);
    await first.consents.saveConsent(c);
    await first.signInAttempts.recordFailure('alice', NOW, 60_000);
    await first.close();

    const second = openSqliteStores(path);
    try {
      assert.deepEqual(await second.clients.listClients(), [fullClient('a'), minimalClient('registered')]);
      assert.deepEqual(await second.resources.getAllResources(), resources());
      assert.deepEqual(await second.users.findUserByUsername('alice'), user('1', 'alice'));
      assert.deepEqual(await second.users.findUserByUsername('bob'), user('2', 'bob'));
      assert.deepEqual(await second.grants.getGrant(g.key), g);
      assert.deepEqual(await second.grants.getGrant(consumed.key), { ...consumed, consumedAt: NOW });
      assert.equal((await second.grants.consumeGrant(consumed.key, NOW + 1)).outcome, 'replayed');
      assert.equal(await second.revocations.isTokenRevoked('jti'), true);
      assert.deepEqual(await second.signingKeys.listKeys(), [signingKey('k1')]);
      assert.deepEqual(await second.sessions.findSession(s.key, NOW), s);
      assert.deepEqual(await second.interactions.consumeInteraction(i.key, NOW + 1), { outcome: 'replayed', interaction: { ...i, consumedAt: NOW } });
      assert.deepEqual(await second.consents.findConsent(c.subjectId, c.clientId, NOW), c);
      assert.equal((await second.signInAttempts.recordFailure('alice', NOW + 1, 60_000)).count, 2);
      // Who owns each entry is kept too: the next start's sync removes the file's client, not the registered one.
      await assert.rejects(second.clients.saveClient(minimalClient('a')), ConfiguredEntryError);
      await second.clients.syncConfiguredClients([]);
      await second.users.syncConfiguredUsers([]);
      assert.deepEqual(await second.clients.listClients(), [minimalClient('registered')]);
      assert.deepEqual(await second.users.findUserByUsername('bob'), user('2', 'bob'));
    } finally {
      await second.close();
    }
  });

  it('migrates a database made by the first schema (user_version 1), keeping its rows as the configuration file\'s', async () => {
    const path = freshPath();
    const old = new DatabaseSync(path);
    old.exec(schemaVersion1);
    old.exec('PRAGMA user_version = 1');
    const g = grant();
    old.prepare('INSERT INTO clients (client_id, json) VALUES (?, ?)').run('a', JSON.stringify(fullClient('a')));
    old.prepare('INSERT INTO resources (kind, name, json) VALUES (?, ?, ?)').run('api_resource', 'api1', JSON.stringify(apiResource('api1')));
    old.prepare('INSERT INTO users (subject_id, username, json) VALUES (?, ?, ?)').run('1', 'alice', JSON.stringify(user('1', 'alice')));
    old.prepare('INSERT INTO grants (key, type, client_id, subject_id, session_id, created_at, expires_at, consumed_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)')
      .run(g.key, g.type, g.clientId, g.subjectId!, g.sessionId!, g.createdAt, g.expiresAt, g.data);
    old.prepare('INSERT INTO revocations (jti, expires_at) VALUES (?, ?)').run('jti', NOW + 1000);
    old.prepare('INSERT INTO signing_keys (kid, alg, created_at, data) VALUES (?, ?, ?, ?)').run('k1', 'RS256', NOW, 'ciphertext-of-k1');
    old.close();

    const stores = openSqliteStores(path);
    try {
      assert.deepEqual(await stores.clients.listClients(), [fullClient('a')]);
      assert.deepEqual(await stores.resources.findApiResourceByName('api1'), apiResource('api1'));
      assert.deepEqual(await stores.users.findUserByUsername('alice'), user('1', 'alice'));
      assert.deepEqual(await stores.grants.getGrant(g.key), g);
      assert.equal(await stores.revocations.isTokenRevoked('jti'), true);
      assert.deepEqual(await stores.signingKeys.listKeys(), [signingKey('k1')]);
      // The first schema's rows were all written by the start-up sync: they are the file's.
      await assert.rejects(stores.clients.saveClient(minimalClient('a')), ConfiguredEntryError);
      await assert.rejects(stores.users.removeUser('1'), ConfiguredEntryError);
      await stores.clients.syncConfiguredClients([minimalClient('b')]);
      assert.deepEqual(await stores.clients.listClients(), [minimalClient('b')]);
    } finally {
      await stores.close();
    }
    const db = new DatabaseSync(path);
    try {
      assert.deepEqual({ ...db.prepare('PRAGMA user_version').get() }, { user_version: currentSchemaVersion });
    } finally {
      db.close();
    }
  });

  it('migrates a database made by schema version 2: grants join no family, clients read with the settings added since', async () => {
    const path = freshPath();
    const old = new DatabaseSync(path);
    old.exec(schemaVersion2);
    old.exec('PRAGMA user_version = 2');
    const g = grant();
    old.prepare(`INSERT INTO clients (client_id, json, origin) VALUES (?, ?, 'store')`).run('a', JSON.stringify(clientWithoutInteractiveSettings('a')));
    old.prepare('INSERT INTO grants (key, type, client_id, subject_id, session_id, created_at, expires_at, consumed_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)')
      .run(g.key, g.type, g.clientId, g.subjectId!, g.sessionId!, g.createdAt, g.expiresAt, g.data);
    old.close();

    const stores = openSqliteStores(path);
    try {
      assert.deepEqual(await stores.clients.findClientById('a'), fullClient('a'));
      const found = await stores.grants.getGrant(g.key);
      assert.deepEqual(found, g);
      assert.ok(!('familyId' in found!));
      assert.deepEqual(await stores.grants.listGrants({ clientId: g.clientId }), [g]);
      const member = grant({ familyId: 'f1' });
      await stores.grants.storeGrant(member);
      assert.deepEqual(await stores.grants.listGrants({ familyId: 'f1' }), [member]);
      const s = session();
      await stores.sessions.createSession(s);
      assert.deepEqual(await stores.sessions.findSession(s.key, NOW), s);
    } finally {
      await stores.close();
    }
  });

  it('reads a client row written before the interactive sign-in settings existed as a whole client, with their defaults', async () => {
    const path = freshPath();
    await openSqliteStores(path).close();
    const db = new DatabaseSync(path);
    db.prepare(`INSERT INTO clients (client_id, json, origin) VALUES (?, ?, 'store')`).run('old', JSON.stringify(clientWithoutInteractiveSettings('old')));
    // A setting the row does hold is kept, not overwritten by its default.
    db.prepare(`INSERT INTO clients (client_id, json, origin) VALUES (?, ?, 'configuration')`)
      .run('partial', JSON.stringify({ ...clientWithoutInteractiveSettings('partial'), authorizationCodeLifetime: 30 }));
    db.close();

    const stores = openSqliteStores(path);
    try {
      assert.deepEqual(await stores.clients.findClientById('old'), fullClient('old'));
      assert.deepEqual(await stores.clients.listClients(), [fullClient('old'), { ...fullClient('partial'), authorizationCodeLifetime: 30 }]);
    } finally {
      await stores.close();
    }
  });

  it('serves one process per file: a second open is refused, naming PostgreSQL, until the first closes', async () => {
    const path = freshPath();
    const first = openSqliteStores(path);
    try {
      assert.throws(() => openSqliteStores(path), (error: unknown) => {
        assert.ok(error instanceof DatabaseInUseError);
        assert.ok(error.message.includes(path));
        assert.match(error.message, /in use by another IdProo process/);
        assert.match(error.message, /PostgreSQL/);
        return true;
      });
      // A second connection inside the process that holds the lock (worker threads, tests) may opt out.
      const second = openSqliteStores(path, { lock: false });
      await first.clients.saveClient(minimalClient('a'));
      assert.deepEqual(await second.clients.findClientById('a'), minimalClient('a'));
      await second.close();
    } finally {
      await first.close();
    }
    const again = openSqliteStores(path);
    await again.close();
  });

  /** A database file at schema version `version`, as a newer (or older) IdProo would leave it. */
  const setSchemaVersion = (path: string, version: number) => {
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${version}`);
    db.close();
  };

  it('refuses a database written by a newer schema', async () => {
    const path = freshPath();
    await openSqliteStores(path).close();
    setSchemaVersion(path, 99);
    assert.throws(() => openSqliteStores(path), /newer than this IdProo supports/);
  });

  it('releases the lock when opening fails', async () => {
    const path = freshPath();
    await openSqliteStores(path).close();
    setSchemaVersion(path, 99);
    assert.throws(() => openSqliteStores(path), /newer than this IdProo supports/);
    setSchemaVersion(path, currentSchemaVersion);
    await openSqliteStores(path).close();
  });
});
