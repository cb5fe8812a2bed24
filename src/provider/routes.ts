import { createDiscoveryEndpoint } from '../endpoints/discovery.ts';
import { createIntrospectionEndpoint } from '../endpoints/introspect.ts';
import { createJwksEndpoint } from '../endpoints/jwks.ts';
import { paths } from '../endpoints/paths.ts';
import { createRevocationEndpoint } from '../endpoints/revoke.ts';
import { createTokenEndpoint } from '../endpoints/token.ts';
import type { GrantHandler } from '../grants/types.ts';
import type { Route } from '../http/handler.ts';
import type { Services } from './services.ts';

/** Every route the provider serves, in one list. */
export function routes(services: Services, grants: ReadonlyMap<string, GrantHandler>, discovery: Record<string, unknown>, propagationTime: number): Route[] {
  const discoveryEndpoint = createDiscoveryEndpoint(discovery);
  // RFC 9700 §2.6: browser apps call these, from the origins some client allows (`cors` on a route enables it).
  const cors = services.allowsCorsOrigin;
  return [
    { path: paths.discovery, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.authorizationServerMetadata, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.jwks, methods: ['GET'], endpoint: createJwksEndpoint(services.keys, propagationTime), publicCors: true },
    { path: paths.token, methods: ['POST'], endpoint: createTokenEndpoint(services, grants), cors },
    { path: paths.introspection, methods: ['POST'], endpoint: createIntrospectionEndpoint(services) },
    { path: paths.revocation, methods: ['POST'], endpoint: createRevocationEndpoint(services), cors },
  ];
}
