import type { Endpoint, EndpointResponse } from '../endpoints/types.ts';
import type { FormPairs } from '../util/form-urlencoded.ts';
import { languageCookieName, locales, type Locale } from './i18n.ts';
import { isSafeReturnPath } from './return-path.ts';

export interface LanguageEndpointOptions {
  /** Whether the issuer is https: the cookie then carries Secure (RFC 6265 §4.1.2.5). */
  readonly secure: boolean;
  /** Epoch ms now; the cookie records when the choice was made (see negotiateLocale's recentChoice). */
  readonly now?: () => number;
}

const first = (query: FormPairs, name: string) => query.find(([key]) => key === name)?.[1];

/** The language cookie: a year, all paths, not readable by scripts, sent on top-level navigations. */
export function languageCookie(locale: Locale, options: LanguageEndpointOptions): string {
  const chosenAt = Math.floor((options.now ?? Date.now)() / 1000);
  return `${languageCookieName}=${locale}.${chosenAt}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

/**
 * The language switch: GET `?lang=id&return=/account/login?interaction=…` remembers the language in
 * a cookie and sends the browser back with 303 (RFC 9110 §15.4.4). `return` must be a path on this
 * server, else the answer is `/`: anyone can link here, so an absolute or protocol-relative `return`
 * would make this an open redirect. A language it does not know is ignored.
 */
export function createLanguageEndpoint(options: LanguageEndpointOptions): Endpoint {
  return (request): EndpointResponse => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return { status: 405, headers: { allow: 'GET, HEAD', 'cache-control': 'no-store' } };
    }
    let query: FormPairs;
    try {
      query = request.readQuery();
    } catch {
      // A broken query string still gets a way back, to the one safe place.
      query = [];
    }
    const lang = first(query, 'lang');
    const back = first(query, 'return');
    const locale = (locales as readonly string[]).includes(lang ?? '') ? (lang as Locale) : undefined;
    return {
      status: 303,
      headers: {
        location: back !== undefined && isSafeReturnPath(back) ? back : '/',
        'cache-control': 'no-store',
        ...(locale ? { 'set-cookie': [languageCookie(locale, options)] } : {}),
      },
    };
  };
}
