import type { EndpointResponse } from '../endpoints/types.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface FormPostPageModel {
  /** The client's redirect_uri, already verified. */
  readonly action: string;
  /** The authorization response parameters (code, state, iss, …, or error). */
  readonly fields: Readonly<Record<string, string>>;
}

// The whole script: its exact text is what the CSP hash allows.
const autoSubmit = 'document.forms[0].submit();';

/**
 * OAuth 2.0 Form Post Response Mode §2: the response parameters as hidden fields of a form that the
 * browser posts to the redirect_uri. A hashed inline script submits it at once; the Continue button
 * does it where scripts do not run. The page is never cached (it holds a code) and has no language
 * switch, which would load it, and so its code, a second time.
 */
export function formPostPage(ctx: PageContext, model: FormPostPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const fields = Object.entries(model.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`<form method="post" action="${model.action}">
${fields}
<p>${m.formPostText}</p>
<div class="actions"><button type="submit" class="primary">${m.continue}</button></div>
</form>`;
  return renderPage(ctx, { title: m.formPostTitle, body, formActions: [model.action], script: autoSubmit, languageSwitch: false });
}
