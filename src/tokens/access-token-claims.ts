/** RFC 9068 §2.2 claims of an access token, as signed into a JWT or kept behind a reference handle. */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  /** One audience is written as a string (RFC 7519 §4.1.3). */
  readonly aud: string | string[];
  readonly client_id: string;
  /** Space-separated (RFC 9068 §2.2.3, RFC 8693 §4.2). */
  readonly scope: string;
  readonly jti: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly [claim: string]: unknown;
}

export const accessTokenJwtType = 'at+jwt';
export const referenceTokenGrantType = 'reference_token';
