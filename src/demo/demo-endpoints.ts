import type { DemoRelyingPartyConfig, PagesConfig, UserConfig } from '../config/schema.ts';
import { paths } from '../endpoints/paths.ts';
import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import type { PageContext } from '../pages/index.ts';
import type { Services } from '../provider/services.ts';
import { demoClientProblems, demoUrls, demoUser, type DemoClient } from './demo-client.ts';
import { demoFailedPage, demoHomePage, demoSignedInPage } from './demo-pages.ts';
import { clearPendingCookie, pendingCookie, readPending, setPendingCookie, startSignIn } from './pending-sign-in.ts';
import { completeSignIn, issuerKeys, SignInFailed, type SignedIn } from './sign-in-response.ts';

export interface DemoDeps {
  readonly services: Pick<Services, 'issuer' | 'clock' | 'stores'>;
  readonly demo: DemoRelyingPartyConfig;
  readonly pages: PagesConfig;
  /** The configuration's users, to name one whose password is written there (the demo's alice). */
  readonly users: readonly UserConfig[];
}

export interface DemoEndpoints {
  readonly home: Endpoint;
  readonly login: Endpoint;
  readonly callback: Endpoint;
}

const redirect = (location: string, cookies: readonly string[] = []): EndpointResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
});

// The demo's own pages are English (demo-pages.ts); ui_locales passes a choice on to the provider's pages.
const uiLocales = new Set(['en', 'id']);

/**
 * The demo relying party (demoRelyingParty): `/demo` explains and links to the sign-in, `/demo/login`
 * starts the code flow with PKCE, `/demo/callback` finishes it and shows what the application got.
 * It talks to the provider only as an application would, through its URLs.
 */
export function createDemoEndpoints(deps: DemoDeps): DemoEndpoints {
  const { issuer, clock, stores } = deps.services;
  const { clientId } = deps.demo;
  const urls = demoUrls(issuer);
  const cookie = pendingCookie(issuer);
  const user = demoUser(deps.users);
  const keys = issuerKeys(issuer);
  const context = (request: EndpointRequest, currentPath: string, cookies: readonly string[] = []): PageContext => ({
    locale: 'en',
    requestId: request.requestId,
    settings: deps.pages,
    currentPath,
    cookies,
  });
  // Read at each request, so a client changed in the store (or by a restart with another file) counts at once.
  const client = async (): Promise<{ client: DemoClient | undefined; problems: string[] }> => {
    const found = await stores.clients.findClientById(clientId);
    return { client: found, problems: demoClientProblems(clientId, found, issuer) };
  };
  const query = (request: EndpointRequest, name: string) => request.readQuery().find(([key]) => key === name)?.[1];

  const home: Endpoint = async (request) => {
    const { problems } = await client();
    return demoHomePage(context(request, urls.home), { clientId, urls, problems, user, signedOut: query(request, 'state') === 'signed-out' });
  };

  const login: Endpoint = async (request) => {
    const { client: found, problems } = await client();
    if (found === undefined || problems.length > 0) return redirect(urls.home);
    const { pending, codeChallenge } = startSignIn();
    const locale = query(request, 'ui_locales');
    // OIDC Core §3.1.2.1: every scope the client may have, so the consent page and the claims show them all.
    const authorization = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: urls.callback,
      scope: found.allowedScopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      ...(locale !== undefined && uiLocales.has(locale) ? { ui_locales: locale } : {}),
    });
    return redirect(`${issuer}${paths.authorization}?${authorization}`, [setPendingCookie(cookie, pending)]);
  };

  const callback: Endpoint = async (request) => {
    // The pending sign-in is used once, whatever the outcome: a reload or a replayed response finds none.
    const cleared = [clearPendingCookie(cookie)];
    const pending = readPending(request.cookie(cookie.name));
    if (pending === undefined) {
      const message = 'This browser has no sign-in in progress: it finished already, took longer than 10 minutes, or was started in another browser.';
      return demoFailedPage(context(request, urls.callback, cleared), { urls, message, status: 400 });
    }
    let signedIn: SignedIn;
    try {
      signedIn = await completeSignIn({ issuer, clientId, redirectUri: urls.callback, clock, keys }, request.readQuery(), pending);
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      return demoFailedPage(context(request, urls.callback, cleared), { urls, message: error.message, status: error.status });
    }
    const found = await stores.clients.findClientById(clientId);
    const logout = new URLSearchParams({
      id_token_hint: signedIn.idToken,
      // RP-Initiated Logout 1.0 §3: only a registered URI is followed; without one the provider shows its signed-out page.
      ...(found?.postLogoutRedirectUris.includes(urls.home) ? { post_logout_redirect_uri: urls.home, state: 'signed-out' } : {}),
    });
    const signOutUrl = `${issuer}${paths.endSession}?${logout}`;
    return demoSignedInPage(context(request, urls.callback, cleared), { clientId, urls, signedIn, signOutUrl });
  };

  return { home, login, callback };
}
