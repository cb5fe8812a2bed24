import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import { issueAccessToken } from '../tokens/access-token.ts';
import { validateApiScopes } from '../validation/requested-scopes.ts';
import { resolveAudience } from '../validation/resource-indicators.ts';
import type { GrantHandler } from './types.ts';

// RFC 6749 §4.4.2 (scope) and RFC 8707 §2 (resource, which may repeat).
const parameters = { scope: 'single', resource: 'repeatable' } as const;

/**
 * RFC 6749 §4.4: a confidential client asks for a token on its own behalf. The client was
 * authenticated by the token endpoint; here the scopes (§3.3) and resources (RFC 8707) are checked,
 * then the token is issued. No refresh token (§4.4.3).
 */
export function createClientCredentialsGrant(deps: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'resources' | 'events'>): GrantHandler<typeof parameters> {
  return {
    grantType: 'client_credentials',
    parameters,
    async handle({ client, params }) {
      // §4.4: only confidential clients; a public one (from a custom store) authenticated by client_id alone may not.
      if (!client.requireClientSecret) throw new OAuthError('unauthorized_client', 'the client credentials grant needs a confidential client');
      const index = await deps.resources.get();
      const scopes = validateApiScopes(params.scope, client, index);
      const audience = resolveAudience(scopes, params.resource, index, deps.keys.algorithms);
      const token = await issueAccessToken({ client, grantType: 'client_credentials', ...audience }, deps);
      return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: token.scope };
    },
  };
}
