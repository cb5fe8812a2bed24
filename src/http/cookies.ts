/**
 * The cookies of a Cookie header (RFC 6265 §5.4: `name=value` pairs separated by "; "), first
 * occurrence of a name winning, as the user agent sends the most specific cookie first. Values keep
 * their bytes: a DQUOTE pair around one is dropped (§4.1.1 cookie-value), nothing is percent-decoded.
 */
export function parseCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.set(name, value);
  }
  return cookies;
}
