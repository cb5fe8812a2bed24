import type { ApiResource, ApiScope, IdentityResource, ResourceStore, Resources } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';

/** Lookups the token endpoint needs on every request, built once from the resource store. */
export interface ResourceIndex {
  readonly apiScopes: ReadonlyMap<string, ApiScope>;
  readonly identityScopes: ReadonlySet<string>;
  /** Enabled identity resources by name (the `openid`, `profile`, … scopes and the claims they release). */
  readonly identityResources: ReadonlyMap<string, IdentityResource>;
  readonly apiResources: ReadonlyMap<string, ApiResource>;
  /** Enabled API resources that offer a scope. */
  resourcesForScope(scope: string): readonly ApiResource[];
}

export function buildResourceIndex(resources: Resources): ResourceIndex {
  const apiScopes = new Map(resources.apiScopes.filter((s) => s.enabled).map((s) => [s.name, s]));
  const identityResources = new Map(resources.identityResources.filter((r) => r.enabled).map((r) => [r.name, r]));
  const identityScopes = new Set(identityResources.keys());
  const enabled = resources.apiResources.filter((r) => r.enabled);
  const apiResources = new Map(enabled.map((r) => [r.name, r]));
  const byScope = new Map<string, ApiResource[]>();
  for (const resource of enabled) {
    for (const scope of resource.scopes) {
      const list = byScope.get(scope);
      if (list) list.push(resource);
      else byScope.set(scope, [resource]);
    }
  }
  return { apiScopes, identityScopes, identityResources, apiResources, resourcesForScope: (scope) => byScope.get(scope) ?? [] };
}

/**
 * Keeps the index in memory and rebuilds it from the store at most every `ttlMs`, so the hot path
 * costs no store round trip while changes written by another node still arrive in bounded time.
 */
export class CachedResourceIndex {
  readonly #store: ResourceStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #index: ResourceIndex | undefined;
  #loadedAt = 0;
  #loading: Promise<ResourceIndex> | undefined;

  constructor(store: ResourceStore, clock: Clock, ttlMs: number) {
    this.#store = store;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  get(): ResourceIndex | Promise<ResourceIndex> {
    if (this.#index && this.#clock.now() - this.#loadedAt < this.#ttlMs) return this.#index;
    return this.reload();
  }

  reload(): Promise<ResourceIndex> {
    this.#loading ??= this.#store
      .getAllResources()
      .then((resources) => {
        this.#index = buildResourceIndex(resources);
        this.#loadedAt = this.#clock.now();
        return this.#index;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
