import type { ApiResource, ResourceStore, Resources } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { indexUnique } from './index-unique.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryResourceStore(gate: Gate): ResourceStore {
  let all: Resources = snapshot({ apiScopes: [], apiResources: [], identityResources: [] });
  let apiResources = new Map<string, ApiResource>();
  return {
    async getAllResources() {
      checkOpen(gate);
      return all;
    },
    async findApiResourceByName(name) {
      checkOpen(gate);
      return apiResources.get(name);
    },
    async replaceResources(resources) {
      checkOpen(gate);
      const next = snapshot(resources);
      // Names are unique per kind only: an identity resource and an API scope may share a name.
      indexUnique(next.apiScopes, (s) => s.name, 'API scope');
      indexUnique(next.identityResources, (r) => r.name, 'identity resource');
      apiResources = indexUnique(next.apiResources, (r) => r.name, 'API resource');
      all = next;
    },
  };
}
