import { authenticateClient, clientAuthenticationParameters, presentedCredentials } from '../client-auth/authenticate.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { GrantHandler } from '../grants/types.ts';
import type { Services } from '../provider/services.ts';
import type { Client } from '../stores/types.ts';
import { parseParameters, requireParameter } from './request-parameters.ts';
import { jsonResponse, noStore, type Endpoint } from './types.ts';

// RFC 6749 §4.4.2, §2.3.1: what every token request may carry; each grant lists the rest.
const parameters = { grant_type: 'single', ...clientAuthenticationParameters } as const;

/**
 * RFC 6749 §3.2 token endpoint: parse → authenticate the client → select the grant → parse the grant's
 * parameters → let the grant validate and issue → respond.
 */
export function createTokenEndpoint(services: Pick<Services, 'stores' | 'clock' | 'events'>, grants: ReadonlyMap<string, GrantHandler>): Endpoint {
  return async (request) => {
    const form = await request.readForm();
    const params = parseParameters(form, parameters);
    const grantType = requireParameter(params.grant_type, 'grant_type');
    const client = await authenticateClient(presentedCredentials(request, params), { clients: services.stores.clients, clock: services.clock, events: services.events });
    const grant = selectGrant(grantType, client, grants);
    const response = await grant.handle({ client, params: parseParameters(form, grant.parameters) });
    return jsonResponse(response, noStore);
  };
}

function selectGrant(grantType: string, client: Client, grants: ReadonlyMap<string, GrantHandler>): GrantHandler {
  const grant = grants.get(grantType);
  if (!grant) throw new OAuthError('unsupported_grant_type', `the grant type ${grantType} is not supported`);
  // RFC 6749 §5.2: a client may use only the grant types it was registered for.
  if (!client.allowedGrantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', `the client is not allowed the grant type ${grantType}`);
  return grant;
}
