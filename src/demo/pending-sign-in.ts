import { createHash } from 'node:crypto';
import { randomHandle } from '../util/crypto.ts';

/** What the demo keeps between sending the browser to the authorization endpoint and its return. */
export interface PendingSignIn {
  /** RFC 6749 §10.12: ties the response to this browser's request (CSRF). */
  readonly state: string;
  /** OIDC Core §3.1.2.1: ties the ID token to this request (replay). */
  readonly nonce: string;
  /** RFC 7636 §4.1: proves at the token endpoint that whoever redeems the code started the request. */
  readonly codeVerifier: string;
}

export interface PendingCookie {
  readonly name: string;
  /** The issuer's path + /demo: the browser sends the cookie to the demo's routes only. */
  readonly path: string;
  readonly secure: boolean;
}

/** Seconds a started sign-in may take; the provider's own interactions last 10 minutes by default. */
const lifetime = 600;

/** The cookie of an issuer; `__Secure-` (RFC 6265bis §4.1.3.1) on https, since its Path is not `/`. */
export function pendingCookie(issuer: string): PendingCookie {
  const secure = issuer.startsWith('https://');
  return { name: `${secure ? '__Secure-' : ''}idproo.demo`, path: `${new URL(issuer).pathname.replace(/\/$/, '')}/demo`, secure };
}

/** A fresh state, nonce and PKCE verifier (RFC 7636 §4.1: 32 random octets, base64url), and the verifier's S256 challenge. */
export function startSignIn(): { pending: PendingSignIn; codeChallenge: string } {
  const pending = { state: randomHandle(24), nonce: randomHandle(24), codeVerifier: randomHandle(32) };
  return { pending, codeChallenge: createHash('sha256').update(pending.codeVerifier).digest('base64url') };
}

const attributes = (cookie: PendingCookie) => `Path=${cookie.path}; HttpOnly; SameSite=Lax${cookie.secure ? '; Secure' : ''}`;

/**
 * The Set-Cookie line that keeps the pending sign-in in the browser, HttpOnly so no script reads the
 * verifier. Lax is enough: the authorization response comes back as a top-level GET navigation.
 * One cookie per browser: a second sign-in started in another tab replaces the first.
 */
export function setPendingCookie(cookie: PendingCookie, pending: PendingSignIn): string {
  const value = Buffer.from(JSON.stringify(pending)).toString('base64url');
  return `${cookie.name}=${value}; ${attributes(cookie)}; Max-Age=${lifetime}`;
}

export const clearPendingCookie = (cookie: PendingCookie): string => `${cookie.name}=; ${attributes(cookie)}; Max-Age=0`;

const handle = /^[\w-]{20,100}$/;

/** The pending sign-in in a cookie value, or undefined when there is none or it is not one the demo wrote. */
export function readPending(value: string | undefined): PendingSignIn | undefined {
  if (value === undefined || value.length > 1024) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Record<keyof PendingSignIn, unknown>>;
    const { state, nonce, codeVerifier } = parsed;
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string') return undefined;
    if (![state, nonce, codeVerifier].every((part) => handle.test(part))) return undefined;
    return { state, nonce, codeVerifier };
  } catch {
    return undefined;
  }
}
