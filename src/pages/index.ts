/** The pages: rendering only. Endpoints decide what to show and call these. */
export { consentPage, type ConsentPageModel, type ScopeView } from './consent-page.ts';
export { errorPage, type ErrorPageModel } from './error-page.ts';
export { formPostPage, type FormPostPageModel } from './form-post-page.ts';
export { contentSecurityPolicy, pageHeaders, type PagePolicy } from './headers.ts';
export { attributes, escapeHtml, html, Html, Attributes, isSafeUrl, trustedHtml, type HtmlValue } from './html.ts';
export { languageCookieName, localeNames, localeOfTag, locales, messages, negotiateLocale, parseLanguageCookie, type Catalog, type Locale, type LocaleHints } from './i18n.ts';
export { createLanguageEndpoint, languageCookie, type LanguageEndpointOptions } from './language.ts';
export { renderPage, scriptHash, type PageContent } from './layout.ts';
export { loginPage, type LoginPageModel } from './login-page.ts';
export { logoutPage, type LogoutPageModel } from './logout-page.ts';
export type { PageContext } from './page-context.ts';
export { isSafeReturnPath } from './return-path.ts';
export { signedOutPage, type SignedOutPageModel } from './signed-out-page.ts';
export { stylesheet, stylesheetEndpoint } from './stylesheet.ts';
