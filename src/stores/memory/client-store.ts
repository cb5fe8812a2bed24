import type { Client, ClientStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { OwnedEntries } from './owned-entries.ts';

export function createMemoryClientStore(gate: Gate): ClientStore {
  const clients = new OwnedEntries<Client>('client', 'stores.clients.removeClient', (c) => c.clientId);
  return {
    async findClientById(clientId) {
      checkOpen(gate);
      return clients.get(clientId);
    },
    async listClients() {
      checkOpen(gate);
      return clients.values();
    },
    async saveClient(client) {
      checkOpen(gate);
      clients.replace(clients.withSaved(client));
    },
    async removeClient(clientId) {
      checkOpen(gate);
      return clients.remove(clientId);
    },
    async syncConfiguredClients(list) {
      checkOpen(gate);
      clients.replace(clients.withConfigured(list));
    },
  };
}
