import type { Endpoint, EndpointResponse } from '../endpoints/types.ts';
import { html, renderPage, type Html, type PageContext } from '../pages/index.ts';
import type { DemoUrls } from './demo-client.ts';
import type { SignedIn } from './sign-in-response.ts';

/**
 * The demo relying party's pages, in the provider's layout (same escaping, CSP and headers). They are
 * in English only: the demo is a developer's tool; the provider's own pages it leads to speak both
 * languages, and the Indonesian sign-in link shows that (ui_locales).
 */

export interface DemoHomeModel {
  readonly clientId: string;
  readonly urls: DemoUrls;
  /** Why a sign-in cannot work at this issuer (demoClientProblems); empty when it can. */
  readonly problems: readonly string[];
  readonly user?: { readonly username: string; readonly password: string } | undefined;
  /** Back from RP-Initiated Logout. */
  readonly signedOut: boolean;
}

export interface DemoSignedInModel {
  readonly clientId: string;
  readonly urls: DemoUrls;
  readonly signedIn: SignedIn;
  /** The end-session endpoint with id_token_hint (and post_logout_redirect_uri when registered). */
  readonly signOutUrl: string;
}

const stylesheetLink = (urls: DemoUrls) => html`<link rel="stylesheet" href="${urls.stylesheet}">`;

const notForProduction = (clientId: string) =>
  html`<p class="hint">This page plays an application that signs its users in with this server, as the public client <code>${clientId}</code>. It is served because the configuration has <code>demoRelyingParty</code>; leave that out in production.</p>`;

const page = (ctx: PageContext, title: string, body: Html, extra: { error?: string; status?: number } = {}) =>
  renderPage(ctx, { title, body, languageSwitch: false, ...extra });

/** `/demo`: what the demo is and the way in, or what stops it at this issuer. */
export function demoHomePage(ctx: PageContext, model: DemoHomeModel): EndpointResponse {
  const { urls } = model;
  if (model.problems.length > 0) {
    const body = html`<div class="demo">${stylesheetLink(urls)}
<p>The demo cannot sign in here:</p>
<ul>${model.problems.map((problem) => html`<li>${problem}</li>`)}</ul>
${notForProduction(model.clientId)}
</div>`;
    return page(ctx, 'Demo application', body, { error: 'The demo client does not match this server.' });
  }
  const body = html`<div class="demo">${stylesheetLink(urls)}
${model.signedOut ? html`<p role="status">You are signed out: the server ended its session and sent you back here.</p>` : ''}
<p>Sign in to see what an application receives: the ID token's claims and the userinfo response.</p>
${model.user ? html`<p>Demo user: <strong>${model.user.username}</strong>, password <strong>${model.user.password}</strong>.</p>` : ''}
<div class="actions">
<a class="button" href="${urls.login}">Sign in</a>
<a class="button secondary" href="${`${urls.login}?ui_locales=id`}" hreflang="id">Sign in (Bahasa Indonesia)</a>
</div>
${notForProduction(model.clientId)}
</div>`;
  return page(ctx, 'Demo application', body);
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** After the callback: who signed in, the validated ID token's claims and the userinfo response, as escaped JSON. */
export function demoSignedInPage(ctx: PageContext, model: DemoSignedInModel): EndpointResponse {
  const { signedIn, urls } = model;
  const name = typeof signedIn.userinfo.name === 'string' ? signedIn.userinfo.name : String(signedIn.claims.sub);
  const body = html`<div class="demo">${stylesheetLink(urls)}
<p>Signed in as <strong>${name}</strong>.${signedIn.scope ? html` Granted scopes: <code>${signedIn.scope}</code>.` : ''}</p>
<h2>ID token claims</h2>
<p class="hint">Validated by the demo: the signature against the issuer's published keys, <code>iss</code>, <code>aud</code>, <code>exp</code> and the <code>nonce</code> of this sign-in.</p>
<pre><code>${json(signedIn.claims)}</code></pre>
<h2>Userinfo response</h2>
<p class="hint">From the userinfo endpoint, with the access token.</p>
<pre><code>${json(signedIn.userinfo)}</code></pre>
<div class="actions">
<a class="button" href="${model.signOutUrl}">Sign out</a>
<a class="button secondary" href="${urls.login}">Sign in again</a>
</div>
${notForProduction(model.clientId)}
</div>`;
  return page(ctx, 'Signed in', body);
}

/** A sign-in that did not complete: what went wrong, and the way to try again. */
export function demoFailedPage(ctx: PageContext, model: { readonly urls: DemoUrls; readonly message: string; readonly status: number }): EndpointResponse {
  const body = html`<div class="demo">${stylesheetLink(model.urls)}
<div class="actions">
<a class="button" href="${model.urls.login}">Sign in again</a>
<a class="button secondary" href="${model.urls.home}">Back to the demo</a>
</div>
</div>`;
  return page(ctx, 'Sign-in failed', body, { error: model.message, status: model.status });
}

/** A wider card for the JSON, and the secondary button the built-in stylesheet has only for forms. */
const css = `.brand:has(~ main.card .demo), main.card:has(.demo) { max-width: 42rem; }
.demo h2 { font-size: 1.125rem; line-height: 1.3; margin: 1.5rem 0 0.5rem; }
.demo pre { margin: 0 0 1rem; padding: 0.75rem 1rem; background: var(--ip-background); border-radius: 0.375rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.demo ul { margin: 0 0 1rem; padding-left: 1.25rem; }
.demo .actions { margin-bottom: 1.25rem; }
.demo .actions .button { flex: 1 1 8rem; }
.demo .button.secondary { color: var(--ip-primary); background: var(--ip-card); }
`;

export const demoStylesheetEndpoint: Endpoint = () => ({
  status: 200,
  headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' },
  body: css,
});
