import { OAuthError } from '../errors/oauth-error.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { Client } from '../stores/types.ts';
import { isScopeList } from '../util/syntax.ts';


/**
 * RFC 6749 §3.3 for the client credentials grant: every requested scope must be an API scope the
 * client is allowed; anything else is `invalid_scope`, never silently dropped. Identity scopes make
 * no sense without a user (Duende refuses them here too). Without a scope parameter the client gets
 * all its allowed API scopes.
 */
export function validateApiScopes(scope: string | undefined, client: Client, index: ResourceIndex): readonly string[] {
  if (scope === undefined) {
    const all = client.allowedScopes.filter((name) => index.apiScopes.has(name));
    if (all.length === 0) throw new OAuthError('invalid_scope', 'the client is not allowed any API scope');
    return all;
  }
  if (!isScopeList(scope)) throw new OAuthError('invalid_scope', 'the scope parameter is not a space-separated list of scope names (RFC 6749 §3.3)');
  const requested = [...new Set(scope.split(' '))];
  for (const name of requested) {
    if (index.identityScopes.has(name) || name === 'offline_access') {
      throw new OAuthError('invalid_scope', `the scope ${name} needs a user and cannot be requested with client credentials`);
    }
    if (!index.apiScopes.has(name)) throw new OAuthError('invalid_scope', `the scope ${name} is unknown`);
    if (!client.allowedScopes.includes(name)) throw new OAuthError('invalid_scope', `the client is not allowed the scope ${name}`);
  }
  return requested;
}
