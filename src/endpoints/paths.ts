/** Endpoint paths, relative to the issuer; Duende's, so its users find them where they expect. */
export const paths = {
  discovery: '/.well-known/openid-configuration',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/.well-known/openid-configuration/jwks',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  authorization: '/connect/authorize',
  /** Where the pages send the browser back once a sign-in or consent is done. */
  authorizationCallback: '/connect/authorize/callback',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  login: '/account/login',
  consent: '/account/consent',
  logout: '/account/logout',
  error: '/account/error',
  language: '/account/language',
  stylesheet: '/assets/idproo.css',
  /** Probes for orchestrators (Kubernetes liveness and readiness); not advertised in discovery. */
  liveness: '/health/live',
  readiness: '/health/ready',
} as const;
