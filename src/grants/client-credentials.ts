import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import { issueAccessToken } from '../tokens/access-token.ts';
import { validateApiScopes } from '../validation/requested-scopes.ts';
import { resolveAudience } from '../validation/resource-indicators.ts';
import type { GrantHandler, TokenRequest, TokenResponse } from './types.ts';

/**
 * RFC 6749 §4.4: a confidential client asks for a token on its own behalf. The client was
 * authenticated by the token endpoint; here the scopes (§3.3) and resources (RFC 8707) are checked,
 * then the token is issued. No refresh token (§4.4.3).
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',

  async handle({ client, params }: TokenRequest, services: Services): Promise<TokenResponse> {
    // §4.4: only confidential clients; a public one (from a custom store) authenticated by client_id alone may not.
    if (!client.requireClientSecret) throw new OAuthError('unauthorized_client', 'the client credentials grant needs a confidential client');
    const index = await services.resources.get();
    const scopes = validateApiScopes(params.get('scope'), client, index);
    const audience = resolveAudience(scopes, params.getAll('resource'), index, services.keys.algorithms);
    const token = await issueAccessToken({ client, ...audience }, services);
    return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn, scope: token.scope };
  },
};
