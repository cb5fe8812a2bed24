import type { EndpointResponse } from '../endpoints/types.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface LogoutPageModel {
  readonly action: string;
  readonly csrfToken: string;
  readonly logoutId: string;
  /** The client that asked for the sign-out, when the request named a known one. */
  readonly clientName?: string | undefined;
}

/**
 * OIDC RP-Initiated Logout §2 (end-user confirmation): a logout request without a valid
 * id_token_hint may come from anywhere, so the user confirms by posting this form.
 */
export function logoutPage(ctx: PageContext, model: LogoutPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const body = html`${model.clientName ? html`<p>${m.logoutRequestedBy(model.clientName)}</p>` : ''}
<p>${m.logoutQuestion}</p>
<form method="post" action="${model.action}">
<input type="hidden" name="logout_id" value="${model.logoutId}">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
<div class="actions"><button type="submit" class="primary">${m.signOut}</button></div>
</form>`;
  return renderPage(ctx, { title: m.logoutTitle, body });
}
