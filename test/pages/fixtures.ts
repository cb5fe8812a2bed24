import type { EndpointResponse } from '../../src/endpoints/types.ts';
import type { PagesConfig } from '../../src/config/schema.ts';
import {
  consentPage, errorPage, formPostPage, loginPage, logoutPage, signedOutPage,
  type Locale, type PageContext, type ScopeView,
} from '../../src/pages/index.ts';

export const settings: PagesConfig = { defaultLocale: 'en', productName: 'IdProo' };

export const context = (locale: Locale, currentPath: string, extra: Partial<PageContext> = {}): PageContext => ({
  locale,
  requestId: 'req-7f3a9c',
  settings,
  currentPath,
  ...extra,
});

const identityScopes: ScopeView[] = [
  { name: 'openid', required: true, checked: true },
  { name: 'profile', required: false, checked: true },
  { name: 'email', displayName: 'Email', description: 'Your primary email address', required: false, checked: false },
];
const apiScopes: ScopeView[] = [{ name: 'orders.read', displayName: 'Read your orders', description: 'See past and open orders', required: false, checked: true }];

/** Every page in every state worth looking at, by a name that reads in a test title. */
export function allPages(locale: Locale, base = ''): Record<string, EndpointResponse> {
  const ctx = (path: string, extra: Partial<PageContext> = {}) => context(locale, path, extra);
  const login = { action: '/account/login', interactionId: 'int-1', csrfToken: 'csrf-1', allowRememberMe: true, clientName: 'Toko Buku' } as const;
  const consent = { action: '/account/consent', interactionId: 'int-2', csrfToken: 'csrf-2', clientName: 'Toko Buku', identityScopes, apiScopes, allowRemember: true };
  return {
    login: loginPage(ctx('/account/login?interaction=int-1'), login),
    'login, host branding': loginPage(ctx('/account/login?interaction=int-1', { settings: { ...settings, productName: 'Toko Buku ID', stylesheetUrl: '/brand.css', logoUrl: '/logo.png' } }), login),
    'login, wrong password': loginPage(ctx('/account/login?interaction=int-1'), { ...login, username: 'budi', error: 'invalid_credentials' }),
    'login, throttled': loginPage(ctx('/account/login?interaction=int-1'), { ...login, error: 'throttled', retryAfterSeconds: 120 }),
    'login, csrf': loginPage(ctx('/account/login?interaction=int-1'), { ...login, error: 'csrf', allowRememberMe: false }),
    consent: consentPage(ctx('/account/consent?interaction=int-2'), { ...consent, clientUri: 'https://books.example/', logoUri: `${base}/logo.png` }),
    'consent, csrf': consentPage(ctx('/account/consent?interaction=int-2'), { ...consent, apiScopes: [], allowRemember: false, error: 'csrf' }),
    logout: logoutPage(ctx('/connect/endsession'), { action: '/account/logout', csrfToken: 'csrf-3', logoutId: 'lo-1', clientName: 'Toko Buku' }),
    'signed out': signedOutPage(ctx('/account/logout'), { postLogoutRedirectUri: `${base}/app`, clientName: 'Toko Buku' }),
    'signed out, no client': signedOutPage(ctx('/account/logout'), {}),
    error: errorPage(ctx('/connect/authorize?client_id=x'), { status: 400, error: 'invalid_request', description: 'redirect_uri is not registered', returnUri: `${base}/app`, returnLabel: undefined }),
    'error, unknown code': errorPage(ctx('/connect/authorize'), { status: 500, error: 'something_else' }),
    'form post': formPostPage(ctx('/connect/authorize?response_mode=form_post'), { action: `${base}/callback`, fields: { code: 'abc', state: 'xyz"<>', iss: 'https://idp.example' } }),
  };
}
