import { OAuthError } from '../errors/oauth-error.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { SigningAlgorithm } from '../config/schema.ts';
import type { ApiResource } from '../stores/types.ts';
import { isAbsoluteUri } from '../util/syntax.ts';

export interface Audience {
  readonly scopes: readonly string[];
  readonly resources: readonly ApiResource[];
  /** The first configured algorithm every audience accepts (Duende's allowedAccessTokenSigningAlgorithms). */
  readonly signingAlgorithm: SigningAlgorithm;
}

/**
 * The audience of an access token: the API resources offering the granted scopes. With RFC 8707
 * `resource` parameters the token is narrowed to those resources; each must be an absolute URI
 * (RFC 8707 §2) naming a known API resource that offers a granted scope, else `invalid_target`.
 */
export function resolveAudience(
  scopes: readonly string[],
  resourceParams: readonly string[],
  index: ResourceIndex,
  algorithms: readonly SigningAlgorithm[],
): Audience {
  const offering = new Map<string, ApiResource>();
  for (const scope of scopes) for (const resource of index.resourcesForScope(scope)) offering.set(resource.name, resource);
  if (resourceParams.length === 0) {
    const resources = [...offering.values()];
    return { scopes, resources, signingAlgorithm: signingAlgorithmFor(resources, algorithms) };
  }

  const resources: ApiResource[] = [];
  for (const value of new Set(resourceParams)) {
    if (!isAbsoluteUri(value)) throw new OAuthError('invalid_target', `the resource ${value} is not an absolute URI without a fragment (RFC 8707 §2)`);
    const resource = offering.get(value);
    if (!resource) throw new OAuthError('invalid_target', `the resource ${value} is unknown or offers none of the granted scopes`);
    resources.push(resource);
  }
  const narrowed = scopes.filter((scope) => resources.some((r) => r.scopes.includes(scope)));
  return { scopes: narrowed, resources, signingAlgorithm: signingAlgorithmFor(resources, algorithms) };
}

function signingAlgorithmFor(resources: readonly ApiResource[], configured: readonly SigningAlgorithm[]): SigningAlgorithm {
  const acceptable = configured.find((alg) =>
    resources.every((r) => r.allowedAccessTokenSigningAlgorithms.length === 0 || r.allowedAccessTokenSigningAlgorithms.includes(alg)),
  );
  if (!acceptable) throw new OAuthError('invalid_target', 'the requested resources accept no common signing algorithm; request them separately');
  return acceptable;
}
