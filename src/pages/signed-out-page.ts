import type { EndpointResponse } from '../endpoints/types.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface SignedOutPageModel {
  /** A registered post_logout_redirect_uri (RP-Initiated Logout §3), with its state already added. */
  readonly postLogoutRedirectUri?: string | undefined;
  readonly clientName?: string | undefined;
}

/** After the sign-out: a confirmation and, when the client gave one, the way back to it. */
export function signedOutPage(ctx: PageContext, model: SignedOutPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const body = html`<p>${m.signedOutText}</p>
${model.postLogoutRedirectUri ? html`<p><a class="button" href="${model.postLogoutRedirectUri}">${m.returnTo(model.clientName)}</a></p>` : ''}`;
  return renderPage(ctx, { title: m.signedOutTitle, body });
}
