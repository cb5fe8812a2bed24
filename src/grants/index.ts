import { clientCredentialsGrant } from './client-credentials.ts';
import type { GrantHandler } from './types.ts';

/** The grant registry: the token endpoint serves exactly these, and discovery lists exactly these. */
export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map([clientCredentialsGrant].map((grant) => [grant.grantType, grant]));

export type { GrantHandler, TokenRequest, TokenResponse } from './types.ts';
