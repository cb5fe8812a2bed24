/**
 * The provider's cookies. With an https issuer they carry the `__Host-` prefix (RFC 6265bis §4.1.3.2):
 * the browser then accepts them only with Secure, Path=/ and no Domain, so a sibling subdomain cannot
 * plant a session or a binding of its own.
 */
export interface CookieNames {
  /** The session handle. */
  readonly session: string;
  /** Binds pending interactions to the browser that started them. */
  readonly browser: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}idproo.session`, browser: `${prefix}idproo.browser` };
}

/** Cookies are Secure exactly when the issuer is https (a plain-http issuer is for development). */
export const isSecureIssuer = (issuer: string): boolean => issuer.startsWith('https://');
