import { createDiscoveryEndpoint } from '../endpoints/discovery.ts';
import { createIntrospectionEndpoint } from '../endpoints/introspect.ts';
import { createJwksEndpoint } from '../endpoints/jwks.ts';
import { paths } from '../endpoints/paths.ts';
import { createRevocationEndpoint } from '../endpoints/revoke.ts';
import { createTokenEndpoint } from '../endpoints/token.ts';
import { createUserInfoEndpoint } from '../endpoints/userinfo.ts';
import { bearerChallenge, jsonErrors } from '../errors/error-response.ts';
import type { GrantHandler } from '../grants/types.ts';
import type { Route } from '../http/handler.ts';
import type { Services } from './services.ts';

/** Every route the provider serves, in one list. */
export function routes(services: Services, grants: ReadonlyMap<string, GrantHandler>, discovery: Record<string, unknown>, propagationTime: number): Route[] {
  const discoveryEndpoint = createDiscoveryEndpoint(discovery);
  return [
    { path: paths.discovery, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.authorizationServerMetadata, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.jwks, methods: ['GET'], endpoint: createJwksEndpoint(services.keys, propagationTime), publicCors: true },
    { path: paths.token, methods: ['POST'], endpoint: createTokenEndpoint(services, grants) },
    { path: paths.introspection, methods: ['POST'], endpoint: createIntrospectionEndpoint(services) },
    { path: paths.revocation, methods: ['POST'], endpoint: createRevocationEndpoint(services) },
    { path: paths.userinfo, methods: ['GET', 'POST'], endpoint: createUserInfoEndpoint(services), errors: jsonErrors(bearerChallenge) },
  ];
}
