import type { PagesConfig } from '../config/schema.ts';

export interface PagePolicy {
  readonly settings: PagesConfig;
  /** URLs or origins the page's forms may be submitted to (or redirected to) besides this server. */
  readonly formActions?: readonly string[] | undefined;
  /** Image URLs from elsewhere, such as a client's logo_uri. */
  readonly images?: readonly string[] | undefined;
  /** CSP hash sources (`'sha256-…'`) of the page's inline scripts; there are none unless listed. */
  readonly scriptHashes?: readonly string[] | undefined;
}

// CSP 3 §2.3.1 host-source, reduced to what an http(s) origin is: a scheme, dot-separated labels of
// letters, digits and hyphens, a port. The WHATWG URL parser lets `;`, `,` and `'` through in a host
// (`https://x;script-src/` has the origin "https://x;script-src"), so its result is checked again:
// otherwise a client's redirect_uri could write directives into the policy.
const hostSource = /^https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/i;

/**
 * The origin of an absolute http(s) URL, as a CSP host-source, or undefined for a path on this
 * server, which 'self' covers, and for anything else, which is simply not allowed.
 */
function originOf(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  const origin = new URL(url).origin;
  return hostSource.test(origin) ? origin : undefined;
}

const sources = (base: readonly string[], urls: readonly (string | undefined)[]) =>
  [...new Set([...base, ...urls.flatMap((url) => (url === undefined ? [] : (originOf(url) ?? [])))])].join(' ');

/**
 * The page's Content-Security-Policy (CSP 3). Nothing is allowed unless named: no script but a
 * hashed one, styles and fonts from this server and the host's stylesheet, images from this server,
 * the logo and the stylesheet's origin. frame-ancestors 'none' stops clickjacking of the login and
 * consent forms (CSP 3 §6.4.2), base-uri 'none' a <base> injected to redirect relative URLs.
 */
export function contentSecurityPolicy(policy: PagePolicy): string {
  const { stylesheetUrl, logoUrl } = policy.settings;
  const directives = [
    "default-src 'none'",
    `style-src ${sources(["'self'"], [stylesheetUrl])}`,
    // A host stylesheet may bring its own fonts and background images from where it lives.
    `font-src ${sources(["'self'"], [stylesheetUrl])}`,
    `img-src ${sources(["'self'", 'data:'], [logoUrl, stylesheetUrl, ...(policy.images ?? [])])}`,
    `form-action ${sources(["'self'"], policy.formActions ?? [])}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  if (policy.scriptHashes?.length) directives.push(`script-src ${policy.scriptHashes.join(' ')}`);
  return directives.join('; ');
}

/**
 * The headers of every page: the CSP, its older equivalents for browsers that lack frame-ancestors
 * (RFC 7034 X-Frame-Options), no Referer carrying the interaction id or a code elsewhere, no MIME
 * sniffing, and no caching of a page that holds a CSRF token or a code (RFC 9111 §5.2.2.5).
 * Under `no-referrer` a browser sends `Origin: null` with a form post (Fetch §3.1, "append a request
 * Origin header"); the forms' same-origin check relies on Sec-Fetch-Site for that reason.
 */
export function pageHeaders(policy: PagePolicy & { readonly cookies?: readonly string[] | undefined }): Record<string, string | readonly string[]> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(policy),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...(policy.cookies?.length ? { 'set-cookie': policy.cookies } : {}),
  };
}
