import type { ResourceIndex } from '../resources/resource-index.ts';
import type { User } from '../stores/types.ts';

/** The claim types the identity scopes in `scopes` release (OIDC Core §5.4), `sub` aside. */
export function identityClaimTypes(scopes: readonly string[], index: ResourceIndex): Set<string> {
  const types = new Set<string>();
  for (const scope of scopes) for (const type of index.identityResources.get(scope)?.userClaims ?? []) types.add(type);
  types.delete('sub');
  return types;
}

/** The user's claims of the given types; `sub` is always the subject id and never taken from `claims`. */
export function userClaims(user: User, types: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of types) {
    if (type === 'sub') continue;
    if (Object.hasOwn(user.claims, type)) out[type] = user.claims[type];
  }
  return out;
}
