import type { DatabaseSync } from 'node:sqlite';
import { withClientDefaults } from '../client-defaults.ts';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { Client, ClientStore } from '../types.ts';
import type { OriginRow } from './origin.ts';
import { immediateTransaction } from './transaction.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: string };

// A row written before a client setting existed lacks it; it reads with the setting's default, as the
// configuration file's clients do, so callers always get a whole Client.
const toClient = (row: JsonRow): Client => withClientDefaults(JSON.parse(row.json) as Parameters<typeof withClientDefaults>[0]);

export function createSqliteClientStore(db: DatabaseSync): ClientStore {
  const findById = db.prepare('SELECT json FROM clients WHERE client_id = ?');
  const listAll = db.prepare('SELECT json FROM clients ORDER BY rowid');
  const originOf = db.prepare('SELECT origin FROM clients WHERE client_id = ?');
  // One statement: a new row, or an update of the store's own row; no change means the file owns the id.
  const save = db.prepare(
    `INSERT INTO clients (client_id, json, origin) VALUES (?, ?, 'store')
     ON CONFLICT (client_id) DO UPDATE SET json = excluded.json WHERE origin = 'store'`,
  );
  const remove = db.prepare(`DELETE FROM clients WHERE client_id = ? AND origin = 'store'`);
  const removeConfigured = db.prepare(`DELETE FROM clients WHERE origin = 'configuration'`);
  const insertConfigured = db.prepare(`INSERT INTO clients (client_id, json, origin) VALUES (?, ?, 'configuration')`);

  const origin = (clientId: string) => (originOf.get(clientId) as OriginRow | undefined)?.origin;

  return {
    async findClientById(clientId) {
      const row = findById.get(clientId) as JsonRow | undefined;
      return row && toClient(row);
    },
    async listClients() {
      return (listAll.all() as JsonRow[]).map(toClient);
    },
    async saveClient(client) {
      if (Number(save.run(client.clientId, JSON.stringify(client)).changes) === 0) throw new ConfiguredEntryError('client', client.clientId);
    },
    async removeClient(clientId) {
      if (Number(remove.run(clientId).changes) === 1) return true;
      if (origin(clientId) === 'configuration') throw new ConfiguredEntryError('client', clientId);
      return false;
    },
    async syncConfiguredClients(clients) {
      immediateTransaction(db, () => {
        const conflicts = clients.map((c) => c.clientId).filter((id) => origin(id) === 'store');
        if (conflicts.length > 0) throw new ConfigurationConflictError('client', conflicts, 'stores.clients.removeClient');
        removeConfigured.run();
        for (const client of clients) {
          try {
            insertConfigured.run(client.clientId, JSON.stringify(client));
          } catch (error) {
            throw uniqueViolation(error) ? new DuplicateKeyError('client', client.clientId, { cause: error }) : error;
          }
        }
      });
    },
  };
}
