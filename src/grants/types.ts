import type { Parameters } from '../endpoints/parameters.ts';
import type { Services } from '../provider/services.ts';
import type { Client } from '../stores/types.ts';

/** An authenticated token request, as every grant handler receives it. */
export interface TokenRequest {
  readonly client: Client;
  readonly params: Parameters;
}

/** RFC 6749 §5.1 success members (snake_case: this is the wire format). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope?: string;
  readonly [member: string]: unknown;
}

/**
 * One grant type (RFC 6749 §4). Adding a grant adds one file exporting a handler and one line in
 * grants/index.ts; the token endpoint never changes.
 */
export interface GrantHandler {
  readonly grantType: string;
  handle(request: TokenRequest, services: Services): Promise<TokenResponse>;
}
