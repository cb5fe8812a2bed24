import type { DatabaseSync } from 'node:sqlite';
import type { Client, ClientStore } from '../types.ts';
import { immediateTransaction } from './transaction.ts';
import { DuplicateKeyError } from '../errors.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: string };

export function createSqliteClientStore(db: DatabaseSync): ClientStore {
  const findById = db.prepare('SELECT json FROM clients WHERE client_id = ?');
  const listAll = db.prepare('SELECT json FROM clients ORDER BY rowid');
  const deleteAll = db.prepare('DELETE FROM clients');
  const insert = db.prepare('INSERT INTO clients (client_id, json) VALUES (?, ?)');
  return {
    async findClientById(clientId) {
      const row = findById.get(clientId) as JsonRow | undefined;
      return row && (JSON.parse(row.json) as Client);
    },
    async listClients() {
      return (listAll.all() as JsonRow[]).map((row) => JSON.parse(row.json) as Client);
    },
    async replaceClients(clients) {
      immediateTransaction(db, () => {
        deleteAll.run();
        for (const client of clients) {
          try {
            insert.run(client.clientId, JSON.stringify(client));
          } catch (error) {
            throw uniqueViolation(error) ? new DuplicateKeyError('client', client.clientId, { cause: error }) : error;
          }
        }
      });
    },
  };
}
