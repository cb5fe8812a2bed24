import type { ApiResource, ApiScope, IdentityResource, ResourceKind, ResourceKinds, ResourceStore, Resources } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { OwnedEntries } from './owned-entries.ts';

const byName = (r: { readonly name: string }) => r.name;
const removeResource = 'stores.resources.removeResource';

export function createMemoryResourceStore(gate: Gate): ResourceStore {
  // Names are unique per kind only: an identity resource and an API scope may share a name.
  const kinds: { readonly [K in ResourceKind]: OwnedEntries<ResourceKinds[K]> } = {
    apiScope: new OwnedEntries<ApiScope>('API scope', removeResource, byName),
    apiResource: new OwnedEntries<ApiResource>('API resource', removeResource, byName),
    identityResource: new OwnedEntries<IdentityResource>('identity resource', removeResource, byName),
  };
  let all: Resources | undefined;

  return {
    async getAllResources() {
      checkOpen(gate);
      all ??= Object.freeze({
        apiScopes: Object.freeze(kinds.apiScope.values()),
        apiResources: Object.freeze(kinds.apiResource.values()),
        identityResources: Object.freeze(kinds.identityResource.values()),
      });
      return all;
    },
    async findApiResourceByName(name) {
      checkOpen(gate);
      return kinds.apiResource.get(name);
    },
    async saveResource(kind, resource) {
      checkOpen(gate);
      const entries = kinds[kind] as OwnedEntries<ResourceKinds[typeof kind]>;
      entries.replace(entries.withSaved(resource));
      all = undefined;
    },
    async removeResource(kind, name) {
      checkOpen(gate);
      const removed = kinds[kind].remove(name);
      all = undefined;
      return removed;
    },
    // Every kind is checked before any is replaced, so a conflict in one kind changes none.
    async syncConfiguredResources(resources) {
      checkOpen(gate);
      const scopes = kinds.apiScope.withConfigured(resources.apiScopes);
      const apis = kinds.apiResource.withConfigured(resources.apiResources);
      const identities = kinds.identityResource.withConfigured(resources.identityResources);
      kinds.apiScope.replace(scopes);
      kinds.apiResource.replace(apis);
      kinds.identityResource.replace(identities);
      all = undefined;
    },
  };
}
