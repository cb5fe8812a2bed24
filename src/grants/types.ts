import type { ParameterList, RequestParameters } from '../endpoints/request-parameters.ts';
import type { Client } from '../stores/types.ts';

/** An authenticated token request, as a grant handler receives it: its own parameters, parsed once. */
export interface TokenRequest<L extends ParameterList = ParameterList> {
  readonly client: Client;
  readonly params: RequestParameters<L>;
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
 * One grant type (RFC 6749 §4). Adding a grant adds one file exporting a factory that takes what the
 * handler uses, and one line in grants/index.ts; the token endpoint never changes. `parameters` lists
 * what the grant reads besides `grant_type` and client authentication; the endpoint parses the request
 * against it, so repetition and unknown parameters are judged in one place.
 */
export interface GrantHandler<L extends ParameterList = ParameterList> {
  readonly grantType: string;
  readonly parameters: L;
  handle(request: TokenRequest<L>): Promise<TokenResponse>;
}
