import { supportedAuthMethods } from '../client-auth/authenticate.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { Endpoint } from './types.ts';
import { paths } from './paths.ts';

export interface DiscoveryInput {
  readonly issuer: string;
  readonly grantTypes: readonly string[];
  readonly resources: ResourceIndex;
  readonly signingAlgorithms: readonly string[];
  /** Whether the userinfo endpoint is served. */
  readonly userinfo: boolean;
  readonly uiLocales: readonly string[];
}

/**
 * OpenID Connect Discovery 1.0 §3 / RFC 8414 §2 metadata for exactly what this server implements:
 * nothing is listed that a request would then refuse.
 */
export function discoveryDocument(input: DiscoveryInput): Record<string, unknown> {
  // "none": a public client (requireClientSecret false) authenticates with its client_id and PKCE alone.
  const authMethods = [...supportedAuthMethods, 'none'];
  const index = input.resources;
  const interactive = input.grantTypes.includes('authorization_code');
  const scopes = [...index.identityScopes, ...index.apiScopes.keys(), ...(input.grantTypes.includes('refresh_token') ? ['offline_access'] : [])];
  const claims = new Set(['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'amr', 'at_hash']);
  for (const resource of index.identityResources.values()) for (const claim of resource.userClaims) claims.add(claim);
  return {
    issuer: input.issuer,
    jwks_uri: input.issuer + paths.jwks,
    ...(interactive ? { authorization_endpoint: input.issuer + paths.authorization } : {}),
    token_endpoint: input.issuer + paths.token,
    ...(input.userinfo ? { userinfo_endpoint: input.issuer + paths.userinfo } : {}),
    ...(interactive ? { end_session_endpoint: input.issuer + paths.endSession } : {}),
    introspection_endpoint: input.issuer + paths.introspection,
    revocation_endpoint: input.issuer + paths.revocation,
    scopes_supported: scopes,
    claims_supported: [...claims],
    grant_types_supported: [...input.grantTypes],
    // RFC 8414 §2 requires the member: "code" only (RFC 9700 §2.1.2 retires implicit and hybrid).
    response_types_supported: interactive ? ['code'] : [],
    ...(interactive
      ? {
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: [...input.signingAlgorithms],
          code_challenge_methods_supported: ['S256'],
          prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
          // RFC 9207 §3.
          authorization_response_iss_parameter_supported: true,
          // OIDC Discovery §3 defaults request_uri_parameter_supported to true: say false explicitly.
          request_parameter_supported: false,
          request_uri_parameter_supported: false,
          claims_parameter_supported: false,
          ui_locales_supported: [...input.uiLocales],
        }
      : {}),
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: [...supportedAuthMethods],
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
