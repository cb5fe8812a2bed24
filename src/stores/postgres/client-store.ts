import { withClientDefaults } from '../client-defaults.ts';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { Client, ClientStore } from '../types.ts';
import type { Database } from './database.ts';
import { lockForSync, type Origin } from './origin.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: Parameters<typeof withClientDefaults>[0] };

// A row written before a client setting existed lacks it; it reads with the setting's default, as the
// configuration file's clients do, so callers always get a whole Client.
const toClient = (row: JsonRow): Client => withClientDefaults(row.json);

const findById = 'SELECT json FROM clients WHERE client_id = $1';
const listAll = 'SELECT json FROM clients ORDER BY seq';
const originOf = 'SELECT origin FROM clients WHERE client_id = $1';
// One statement: a new row, or an update of the store's own row; no change means the file owns the id.
const save = `INSERT INTO clients (client_id, json, origin) VALUES ($1, $2, 'store')
  ON CONFLICT (client_id) DO UPDATE SET json = excluded.json WHERE clients.origin = 'store'`;
const remove = `DELETE FROM clients WHERE client_id = $1 AND origin = 'store'`;
const storeOwned = `SELECT client_id FROM clients WHERE client_id = ANY($1::text[]) AND origin = 'store'`;
const removeConfigured = `DELETE FROM clients WHERE origin = 'configuration'`;
const insertConfigured = `INSERT INTO clients (client_id, json, origin) VALUES ($1, $2, 'configuration')`;

export function createPostgresClientStore(db: Database): ClientStore {
  return {
    async findClientById(clientId) {
      const { rows } = await db.query<JsonRow>(findById, [clientId]);
      return rows[0] && toClient(rows[0]);
    },
    async listClients() {
      return (await db.query<JsonRow>(listAll)).rows.map(toClient);
    },
    async saveClient(client) {
      if ((await db.query(save, [client.clientId, JSON.stringify(client)])).rowCount === 0) throw new ConfiguredEntryError('client', client.clientId);
    },
    async removeClient(clientId) {
      if ((await db.query(remove, [clientId])).rowCount === 1) return true;
      const { rows } = await db.query<{ origin: Origin }>(originOf, [clientId]);
      if (rows[0]?.origin === 'configuration') throw new ConfiguredEntryError('client', clientId);
      return false;
    },
    async syncConfiguredClients(clients) {
      await db.transaction(async (tx) => {
        await lockForSync(tx, 'clients');
        const ids = clients.map((c) => c.clientId);
        const owned = new Set((await tx.query<{ client_id: string }>(storeOwned, [ids])).rows.map((row) => row.client_id));
        const conflicts = ids.filter((id) => owned.has(id));
        if (conflicts.length > 0) throw new ConfigurationConflictError('client', conflicts, 'stores.clients.removeClient');
        await tx.query(removeConfigured);
        for (const client of clients) {
          try {
            await tx.query(insertConfigured, [client.clientId, JSON.stringify(client)]);
          } catch (error) {
            throw uniqueViolation(error) ? new DuplicateKeyError('client', client.clientId, { cause: error }) : error;
          }
        }
      });
    },
  };
}
