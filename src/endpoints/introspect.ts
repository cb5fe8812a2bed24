import {
  authenticateApiResource,
  authenticateClient,
  clientAuthenticationParameters,
  presentedCredentials,
  type ClientAuthenticationParameters,
} from '../client-auth/authenticate.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import type { ApiResource, Client } from '../stores/types.ts';
import type { AccessTokenClaims } from '../tokens/access-token-claims.ts';
import { findRefreshToken, isUsable, refreshTokenIntrospection } from '../tokens/refresh-token.ts';
import { resolveAccessToken } from '../tokens/resolve-access-token.ts';
import { parseParameters, requireParameter } from './request-parameters.ts';
import { jsonResponse, noStore, type Endpoint, type EndpointRequest, type EndpointResponse } from './types.ts';

// RFC 7662 §2.1.
const parameters = { token: 'single', token_type_hint: 'single', ...clientAuthenticationParameters } as const;

type Caller = { readonly kind: 'api'; readonly resource: ApiResource } | { readonly kind: 'client'; readonly client: Client };

const inactive = jsonResponse({ active: false }, noStore);

/**
 * RFC 7662 token introspection. The caller is an API resource (Duende's model: its name and one of
 * its apiSecrets) or a client. An API learns only about tokens in its own audience, a client only
 * about its own tokens; every other token, valid or not, is just `{"active": false}` (§2.2). A refresh
 * token is never meant for an API, so only the client it was issued to learns it is active.
 */
export function createIntrospectionEndpoint(services: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'resources' | 'events'>): Endpoint {
  return async (request) => {
    const params = parseParameters(await request.readForm(), parameters);
    const caller = await authenticateCaller(request, params, services);
    const token = requireParameter(params.token, 'token');
    // §2.1: token_type_hint is only a hint; every token type is searched, so it is not read.
    const resolved = await resolveAccessToken(token, services);
    if (!resolved) return introspectRefreshToken(token, caller, services);
    if (!visibleTo(resolved.claims, caller)) return inactive;
    return jsonResponse(introspectionResponse(resolved.claims, caller), noStore);
  };
}

async function authenticateCaller(
  request: EndpointRequest,
  params: ClientAuthenticationParameters,
  services: Pick<Services, 'clock' | 'stores' | 'resources' | 'events'>,
): Promise<Caller> {
  const credentials = presentedCredentials(request, params);
  const resource = credentials && authenticateApiResource(credentials, { index: await services.resources.get(), clock: services.clock, events: services.events });
  if (resource) return { kind: 'api', resource };
  const client = await authenticateClient(credentials, { clients: services.stores.clients, clock: services.clock, events: services.events });
  if (!client.requireClientSecret) throw new OAuthError('invalid_client', 'public clients cannot introspect tokens');
  return { kind: 'client', client };
}

/** A live refresh token (unconsumed, unexpired, its user enabled) of the calling client; inactive otherwise. */
async function introspectRefreshToken(token: string, caller: Caller, services: Pick<Services, 'clock' | 'stores'>): Promise<EndpointResponse> {
  if (caller.kind !== 'client') return inactive;
  const found = await findRefreshToken(token, services);
  if (found?.grant.clientId !== caller.client.clientId) return inactive;
  const user = await services.stores.users.findUserBySubjectId(found.grant.subjectId);
  return isUsable(found, user, services.clock.now()) ? jsonResponse(refreshTokenIntrospection(found), noStore) : inactive;
}

const audiences = (claims: AccessTokenClaims): readonly string[] => (Array.isArray(claims.aud) ? claims.aud : [claims.aud]);

function visibleTo(claims: AccessTokenClaims, caller: Caller): boolean {
  return caller.kind === 'api' ? audiences(claims).includes(caller.resource.name) : claims.client_id === caller.client.clientId;
}

function introspectionResponse(claims: AccessTokenClaims, caller: Caller): Record<string, unknown> {
  // An API sees only the scopes that are its own (as Duende does), not what the token grants elsewhere.
  const scope =
    caller.kind === 'api'
      ? claims.scope
          .split(' ')
          .filter((s) => caller.resource.scopes.includes(s))
          .join(' ')
      : claims.scope;
  return { ...claims, active: true, scope, token_type: 'Bearer' };
}
