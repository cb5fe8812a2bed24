import { OAuthError } from '../errors/oauth-error.ts';
import type { EndpointRequest } from '../endpoints/types.ts';
import type { RequestParameters } from '../endpoints/request-parameters.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { ApiResource, Client, ClientStore } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { EventSink } from '../events/events.ts';
import { readBasicCredentials } from './client-secret-basic.ts';
import { readPostCredentials } from './client-secret-post.ts';
import type { PresentedCredentials } from './types.ts';
import { verifySecret } from './verify-secret.ts';

export const supportedAuthMethods = ['client_secret_basic', 'client_secret_post'] as const;

/** The body parameters client authentication reads, for the lists of the endpoints that authenticate clients. */
export const clientAuthenticationParameters = { client_id: 'single', client_secret: 'single' } as const;
export type ClientAuthenticationParameters = RequestParameters<typeof clientAuthenticationParameters>;

/**
 * Finds the one set of credentials in a request. RFC 6749 §2.3: a client MUST NOT use more than one
 * authentication method per request; a body client_id that contradicts the Basic one is refused too.
 */
export function presentedCredentials(request: EndpointRequest, params: ClientAuthenticationParameters): PresentedCredentials | undefined {
  const basic = readBasicCredentials(request.header('authorization'));
  if (basic) {
    if (params.client_secret !== undefined) {
      throw new OAuthError('invalid_request', 'the client used more than one authentication method (HTTP Basic and client_secret in the body)');
    }
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      throw new OAuthError('invalid_request', 'the client_id parameter does not match the HTTP Basic client id');
    }
    return basic;
  }
  return readPostCredentials(params);
}

/**
 * RFC 6749 §5.2: failed client authentication is 401 (the error writer adds the Basic challenge). The
 * client is told nothing more; the reason goes to the event, for operators and audit.
 */
function invalidClient(events: EventSink, clientId: string | undefined, reason: string): OAuthError {
  events.emit({ type: 'client.authentication_failed', ...(clientId === undefined ? {} : { clientId }), reason });
  return new OAuthError('invalid_client', 'client authentication failed', { detail: reason });
}

export interface ClientAuthenticationDependencies {
  readonly clients: ClientStore;
  readonly clock: Clock;
  readonly events: EventSink;
}

export async function authenticateClient(credentials: PresentedCredentials | undefined, deps: ClientAuthenticationDependencies): Promise<Client> {
  if (!credentials) throw invalidClient(deps.events, undefined, 'no client credentials were presented');
  const { clientId } = credentials;
  const client = await deps.clients.findClientById(clientId);
  if (credentials.method === 'none') {
    if (client?.enabled && !client.requireClientSecret) return client;
    throw invalidClient(deps.events, clientId, client ? 'a confidential or disabled client presented no secret' : 'unknown client');
  }
  const ok = verifySecret(credentials.secret ?? '', client?.clientSecrets, deps.clock.now());
  if (!client) throw invalidClient(deps.events, clientId, 'unknown client');
  if (!ok) throw invalidClient(deps.events, clientId, 'wrong or expired secret');
  if (!client.enabled) throw invalidClient(deps.events, clientId, 'the client is disabled');
  return client;
}

/**
 * An API resource authenticating with one of its apiSecrets, as Duende's introspection endpoint
 * expects. The lookup is the cached resource index (enabled resources only), so introspection costs
 * no store round trip for its caller; a disabled API falls through to client authentication and fails.
 */
export function authenticateApiResource(credentials: PresentedCredentials, deps: { index: ResourceIndex; clock: Clock; events: EventSink }): ApiResource | undefined {
  if (credentials.method === 'none') return undefined;
  const resource = deps.index.apiResources.get(credentials.clientId);
  if (!resource) return undefined;
  if (!verifySecret(credentials.secret ?? '', resource.apiSecrets, deps.clock.now())) throw invalidClient(deps.events, resource.name, 'wrong or expired API secret');
  return resource;
}
