import { authenticateClient, presentedCredentials } from '../client-auth/authenticate.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { Services } from '../provider/services.ts';
import { handleKey } from '../util/crypto.ts';
import { resolveAccessToken } from '../tokens/resolve-access-token.ts';
import { requireParameter, toParameters } from './parameters.ts';
import { noStore, type Endpoint } from './types.ts';

const hints = new Set(['access_token', 'refresh_token']);
const revoked = { status: 200, headers: noStore } as const;

/**
 * RFC 7009 token revocation. Reference tokens are deleted; a JWT access token's `jti` is remembered
 * until it would have expired, so introspection reports it inactive. A token that is unknown or
 * invalid is answered 200 (§2.2). Another client's token is left alone and answered 200 too, as
 * oidc-provider does, rather than refused as §2.1 suggests: a refusal would tell a client that a
 * token it found is valid.
 */
export function createRevocationEndpoint(services: Services): Endpoint {
  return async (request) => {
    const params = toParameters(await request.readForm());
    const client = await authenticateClient(presentedCredentials(request, params), { clients: services.stores.clients, clock: services.clock });
    const token = requireParameter(params, 'token');
    const hint = params.get('token_type_hint');
    // §2.2.1: a hint naming a type this server does not know is unsupported_token_type.
    if (hint !== undefined && !hints.has(hint)) throw new OAuthError('unsupported_token_type', `the token type ${hint} is not supported`);

    const resolved = await resolveAccessToken(token, services);
    if (!resolved || resolved.claims.client_id !== client.clientId) return revoked;
    if (resolved.format === 'reference') await services.stores.grants.removeGrant(handleKey(token));
    else await services.stores.revocations.revokeToken(resolved.claims.jti, resolved.claims.exp * 1000);
    services.logger.info({ event: 'token.revoked', clientId: client.clientId, jti: resolved.claims.jti }, 'access token revoked');
    return revoked;
  };
}
