import type { SigningKeyService } from '../keys/signing-key-service.ts';
import { publicMetadataHeaders } from './discovery.ts';
import type { Endpoint } from './types.ts';

/**
 * RFC 7517 key set with public members only. The cache lifetime is kept well below the key
 * propagation time, so every verifier sees a new key before it starts signing.
 */
export function createJwksEndpoint(keys: SigningKeyService, propagationTime: number): Endpoint {
  const headers = { ...publicMetadataHeaders(Math.min(3600, Math.floor(propagationTime / 4))), 'content-type': 'application/jwk-set+json' };
  return async () => ({ status: 200, headers, body: (await keys.jwks()).body });
}
