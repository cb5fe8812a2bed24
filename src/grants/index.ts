import type { Services } from '../provider/services.ts';
import { createAuthorizationCodeGrant } from './authorization-code.ts';
import { createClientCredentialsGrant } from './client-credentials.ts';
import { createRefreshTokenGrant } from './refresh-token.ts';
import type { GrantHandler } from './types.ts';

/** The grant registry: the token endpoint serves exactly these, and discovery lists exactly these. */
export function createGrantHandlers(services: Services): Map<string, GrantHandler> {
  const handlers: GrantHandler[] = [createClientCredentialsGrant(services), createAuthorizationCodeGrant(services), createRefreshTokenGrant(services)];
  return new Map(handlers.map((grant) => [grant.grantType, grant]));
}

export type { GrantHandler, TokenRequest, TokenResponse } from './types.ts';
