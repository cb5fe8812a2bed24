import { supportedAuthMethods } from '../client-auth/authenticate.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { Endpoint } from './types.ts';
import { paths } from './paths.ts';

export interface DiscoveryInput {
  readonly issuer: string;
  readonly grantTypes: readonly string[];
  readonly resources: ResourceIndex;
}

/**
 * OpenID Connect Discovery 1.0 §3 / RFC 8414 §2 metadata for exactly what this server implements.
 * Members for features that do not exist yet (authorization endpoint, ID tokens, userinfo) are
 * absent rather than promised.
 */
export function discoveryDocument(input: DiscoveryInput): Record<string, unknown> {
  const authMethods = [...supportedAuthMethods];
  // Identity scopes need a user, and no flow with a user exists yet: only API scopes can be granted.
  const scopes = [...input.resources.apiScopes.keys()];
  return {
    issuer: input.issuer,
    jwks_uri: input.issuer + paths.jwks,
    token_endpoint: input.issuer + paths.token,
    introspection_endpoint: input.issuer + paths.introspection,
    revocation_endpoint: input.issuer + paths.revocation,
    scopes_supported: scopes,
    grant_types_supported: [...input.grantTypes],
    // RFC 8414 §2 requires the member; no response type is implemented until the authorization endpoint exists.
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
  };
}

/** Public, cacheable metadata; CORS open so browser apps can read it (RFC 9700 §2.6). */
export const publicMetadataHeaders = (maxAge: number) => ({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': `public, max-age=${maxAge}`,
  'access-control-allow-origin': '*',
});

export function createDiscoveryEndpoint(document: Record<string, unknown>): Endpoint {
  const body = Buffer.from(JSON.stringify(document));
  const response = { status: 200, headers: publicMetadataHeaders(3600), body };
  return () => response;
}
