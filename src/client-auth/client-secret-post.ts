import type { ClientAuthenticationParameters } from './authenticate.ts';
import type { PresentedCredentials } from './types.ts';

/** RFC 6749 §2.3.1: credentials in the request body. A client_id alone is a public client (`none`). */
export function readPostCredentials({ client_id: clientId, client_secret: secret }: ClientAuthenticationParameters): PresentedCredentials | undefined {
  if (clientId === undefined) return undefined;
  return secret === undefined ? { method: 'none', clientId } : { method: 'client_secret_post', clientId, secret };
}
