export interface CookieOptions {
  /** Seconds; absent: a browser-session cookie (RFC 6265 §4.1.2.2), gone when the browser closes. */
  readonly maxAge?: number;
  readonly secure: boolean;
  readonly sameSite: 'Lax' | 'Strict' | 'None';
}

/**
 * A Set-Cookie line (RFC 6265 §4.1), always HttpOnly and for the whole origin (Path=/, no Domain), which
 * the `__Host-` prefix demands (RFC 6265bis §4.1.3.2). The value must already be a cookie-octet string.
 */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  let line = `${name}=${value}; Path=/; HttpOnly; SameSite=${options.sameSite}`;
  if (options.secure) line += '; Secure';
  if (options.maxAge !== undefined) line += `; Max-Age=${Math.max(0, Math.floor(options.maxAge))}`;
  return line;
}

export const clearCookie = (name: string, secure: boolean): string => `${name}=; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}; Max-Age=0`;
