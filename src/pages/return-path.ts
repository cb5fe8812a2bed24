/**
 * Whether a `return` value is a path on this origin and nothing else, so that redirecting to it is
 * never an open redirect (OWASP Unvalidated Redirects and Forwards Cheat Sheet): one leading slash,
 * not two (`//host` is another origin, RFC 3986 §4.2), no backslash (WHATWG URL §4.4 reads it as a
 * slash, so `/\host` is another origin too) and nothing but printable ASCII: browsers drop tabs and
 * newlines inside URLs (`/\t/host`), and a Location header carries no raw non-ASCII (RFC 9110 §5.5).
 */
export function isSafeReturnPath(value: string): boolean {
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && !value.includes('\\') && value.length <= 2048;
}
