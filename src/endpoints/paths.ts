/** Endpoint paths, relative to the issuer; Duende's, so its users find them where they expect. */
export const paths = {
  discovery: '/.well-known/openid-configuration',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/.well-known/openid-configuration/jwks',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
} as const;
