import type { PagesConfig, UserInteractionConfig } from '../config/schema.ts';
import { paths } from '../endpoints/paths.ts';
import type { EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import type { ErrorPresenter } from '../errors/error-response.ts';
import type { InteractionPages } from '../interaction/pages.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { consentPage, errorPage, formPostPage, languageCookieName, loginPage, logoutPage, negotiateLocale, signedOutPage, type PageContext } from '../pages/index.ts';

/** The path and query of the page being rendered, for the language switch to come back to. */
function currentPath(request: EndpointRequest, path: string): string {
  const query = new URLSearchParams(request.readQuery() as [string, string][]).toString();
  return query === '' ? path : `${path}?${query}`;
}

/**
 * The built-in pages behind the InteractionPages the endpoints use: each request's locale comes from
 * `ui_locales`, then the language cookie, then Accept-Language, then the configured default. With
 * userInteraction.errorUrl set, errors go to the host's page instead, with the code, description and
 * request id in the query (the host escapes them).
 */
export function createPageKit(
  settings: PagesConfig,
  userInteraction: UserInteractionConfig,
  issuer: string,
  clock: Clock,
  logger: Logger,
): { pages: InteractionPages; presenter: ErrorPresenter } {
  const context = (request: EndpointRequest, path: string, uiLocales: string | undefined, cookies: readonly string[] = [], formActions: readonly string[] = []): PageContext => ({
    locale: negotiateLocale({
      uiLocales,
      cookie: request.cookie(languageCookieName),
      acceptLanguage: request.header('accept-language'),
      defaultLocale: settings.defaultLocale,
      // A switch clicked during this sign-in beats the relying party's ui_locales.
      recentChoice: { now: clock.now(), withinMs: userInteraction.interactionLifetime * 1000 },
    }),
    requestId: request.requestId,
    settings,
    currentPath: safeCurrentPath(request, path),
    cookies: [...cookies],
    formActions: [...formActions],
  });
  const safeCurrentPath = (request: EndpointRequest, path: string) => {
    try {
      return currentPath(request, path);
    } catch {
      return path;
    }
  };
  const errorUrl = userInteraction.errorUrl === undefined ? undefined : new URL(userInteraction.errorUrl, issuer).href;

  const pages: InteractionPages = {
    error(request, shown, uiLocales, cookies = []) {
      // The page shows the request id; this line carries it too, so a user's report finds the cause.
      logger.info({ requestId: request.requestId, error: shown.error, description: shown.description, status: shown.status }, 'error page shown');
      if (errorUrl !== undefined) {
        const query = new URLSearchParams({ error: shown.error, ...(shown.description ? { error_description: shown.description } : {}), request_id: request.requestId });
        return {
          status: 303,
          headers: { location: `${errorUrl}${errorUrl.includes('?') ? '&' : '?'}${query}`, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
        };
      }
      return errorPage(context(request, paths.error, uiLocales, cookies), shown);
    },
    formPost: (request, action, fields, cookies) => formPostPage(context(request, paths.authorization, undefined, cookies, [action]), { action, fields: { ...fields } }),
    login: (request, { formActions, ...view }, uiLocales, cookies) =>
      loginPage(context(request, paths.login, uiLocales, cookies, formActions), { action: paths.login, allowRememberMe: true, ...view }),
    consent: (request, { formActions, ...view }, uiLocales, cookies) =>
      consentPage(context(request, paths.consent, uiLocales, cookies, formActions), { action: paths.consent, ...view, identityScopes: [...view.identityScopes], apiScopes: [...view.apiScopes] }),
    logout: (request, { formActions, ...view }, uiLocales, cookies) => logoutPage(context(request, paths.logout, uiLocales, cookies, formActions), { action: paths.logout, ...view }),
    signedOut: (request, view, uiLocales, cookies) => signedOutPage(context(request, paths.logout, uiLocales, cookies), view),
  };

  // Failures no endpoint turned into a page (a broken form, an outage): a page in the default locale.
  const presenter: ErrorPresenter = (error, requestId = '-'): EndpointResponse => {
    const page = errorPage(
      { locale: settings.defaultLocale, requestId, settings, currentPath: '/' },
      { status: error.status, error: error.code, description: error.status >= 500 ? undefined : error.description },
    );
    // RFC 9110 §10.2.3: a 503 says when to come back, on a page as in JSON.
    const retryAfter = error.headers['retry-after'];
    return retryAfter === undefined ? page : { ...page, headers: { ...page.headers, 'retry-after': retryAfter } };
  };
  return { pages, presenter };
}
