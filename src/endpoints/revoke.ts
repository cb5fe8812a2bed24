import { authenticateClient, clientAuthenticationParameters, presentedCredentials } from '../client-auth/authenticate.ts';
import type { Services } from '../provider/services.ts';
import { handleKey } from '../util/crypto.ts';
import { revokeFamily } from '../tokens/family.ts';
import { findRefreshToken } from '../tokens/refresh-token.ts';
import { resolveAccessToken } from '../tokens/resolve-access-token.ts';
import { parseParameters, requireParameter } from './request-parameters.ts';
import { noStore, type Endpoint } from './types.ts';

// RFC 7009 §2.1.
const parameters = { token: 'single', token_type_hint: 'single', ...clientAuthenticationParameters } as const;

const revoked = { status: 200, headers: noStore } as const;

/**
 * RFC 7009 token revocation. Reference tokens are deleted; a JWT access token's `jti` is remembered
 * until it would have expired, so introspection reports it inactive. A refresh token revokes its whole
 * family: every refresh token rotated from the same authorization and the access tokens issued with
 * them (§2.1: "SHOULD also invalidate all access tokens based on the same authorization grant"). A token that is unknown or
 * invalid is answered 200 (§2.2). Another client's token is left alone and answered 200 too, as
 * oidc-provider does, rather than refused as §2.1 suggests: a refusal would tell a client that a
 * token it found is valid.
 *
 * §2.1: token_type_hint only says where to look first, and a token not found under the hint MUST be
 * searched for under every type, so the hint, known or not, changes nothing here: every token this
 * server issues is looked up the same way. unsupported_token_type (§2.2.1) is for a token that is
 * found but whose type the server does not revoke, and every type it issues can be revoked.
 */
export function createRevocationEndpoint(services: Pick<Services, 'issuer' | 'clock' | 'keys' | 'stores' | 'events'>): Endpoint {
  return async (request) => {
    const params = parseParameters(await request.readForm(), parameters);
    const client = await authenticateClient(presentedCredentials(request, params), { clients: services.stores.clients, clock: services.clock, events: services.events });
    const token = requireParameter(params.token, 'token');

    const resolved = await resolveAccessToken(token, services);
    if (!resolved) {
      await revokeRefreshToken(token, client.clientId, services);
      return revoked;
    }
    if (resolved.claims.client_id !== client.clientId) return revoked;
    if (resolved.format === 'reference') await services.stores.grants.removeGrant(handleKey(token));
    else await services.stores.revocations.revokeToken(resolved.claims.jti, resolved.claims.exp * 1000);
    services.events.emit({ type: 'token.revoked', clientId: client.clientId, format: resolved.format, jti: resolved.claims.jti });
    return revoked;
  };
}

/** Revokes the family of `token` if it is a refresh token of `clientId`, consumed or not; otherwise nothing. */
async function revokeRefreshToken(token: string, clientId: string, services: Pick<Services, 'clock' | 'stores'>): Promise<void> {
  const found = await findRefreshToken(token, services);
  if (found?.grant.clientId === clientId) await revokeFamily(found.grant.familyId, services);
}
