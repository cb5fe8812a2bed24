import type { Client, ClientStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { indexUnique } from './index-unique.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryClientStore(gate: Gate): ClientStore {
  let clients = new Map<string, Client>();
  return {
    async findClientById(clientId) {
      checkOpen(gate);
      return clients.get(clientId);
    },
    async listClients() {
      checkOpen(gate);
      return [...clients.values()];
    },
    async replaceClients(list) {
      checkOpen(gate);
      clients = indexUnique(snapshot(list), (c) => c.clientId, 'client');
    },
  };
}
