import type { Parameters } from '../endpoints/parameters.ts';
import type { PresentedCredentials } from './types.ts';

/** RFC 6749 §2.3.1: credentials in the request body. A client_id alone is a public client (`none`). */
export function readPostCredentials(params: Parameters): PresentedCredentials | undefined {
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  if (clientId === undefined) return undefined;
  return secret === undefined ? { method: 'none', clientId } : { method: 'client_secret_post', clientId, secret };
}
