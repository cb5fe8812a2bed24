import { OAuthError } from '../errors/oauth-error.ts';
import { decodeFormComponent } from '../util/form-urlencoded.ts';
import type { PresentedCredentials } from './types.ts';

// Answered 401 with a Basic challenge by the error writer (RFC 6749 §5.2, RFC 7235 §3.1).
const invalidBasic = (why: string) => new OAuthError('invalid_client', `malformed HTTP Basic credentials: ${why}`);

function formDecode(value: string): string {
  const decoded = decodeFormComponent(value);
  if (decoded === undefined) throw invalidBasic('the client id or secret is not correctly form-urlencoded');
  return decoded;
}

/**
 * RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before being joined with ':' and
 * base64-encoded, so both halves are decoded here. Returns undefined when no Basic credentials are sent.
 */
export function readBasicCredentials(authorization: string | undefined): PresentedCredentials | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(' ');
  // RFC 9110 §11.1: the scheme name is case-insensitive.
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'basic') return undefined;
  const encoded = authorization.slice(space + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw invalidBasic('not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw invalidBasic('no ":" between client id and secret');
  const clientId = formDecode(decoded.slice(0, colon));
  if (!clientId) throw invalidBasic('empty client id');
  return { method: 'client_secret_basic', clientId, secret: formDecode(decoded.slice(colon + 1)) };
}
