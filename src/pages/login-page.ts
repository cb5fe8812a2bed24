import type { EndpointResponse } from '../endpoints/types.ts';
import { attributes, html } from './html.ts';
import { messages } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface LoginPageModel {
  /** Where the form is posted: the login endpoint. */
  readonly action: string;
  readonly interactionId: string;
  readonly csrfToken: string;
  /** The username to fill in again after a failed attempt, or a login_hint. */
  readonly username?: string | undefined;
  readonly error?: 'invalid_credentials' | 'throttled' | 'csrf' | undefined;
  /** With `throttled`: how long until the next attempt is allowed. */
  readonly retryAfterSeconds?: number | undefined;
  readonly clientName?: string | undefined;
  readonly allowRememberMe: boolean;
}

// RFC 6585 §4: too many attempts; a stale or replayed form is refused, not an error of the user's.
const statuses = { none: 200, invalid_credentials: 200, throttled: 429, csrf: 403 } as const;

/**
 * The sign-in form. An unknown user and a wrong password get the same message, so the form is no
 * oracle for which usernames exist; the fields carry the autocomplete tokens (HTML §4.10.18.7.1)
 * that let password managers fill them.
 */
export function loginPage(ctx: PageContext, model: LoginPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const error =
    model.error === 'invalid_credentials' ? m.invalidCredentials
    : model.error === 'throttled' ? m.throttled(model.retryAfterSeconds)
    : model.error === 'csrf' ? m.formExpired
    : undefined;
  // WCAG 2.2 SC 3.3.1: the fields are marked invalid and point at the message that says why.
  const invalidity = model.error === 'invalid_credentials' ? { 'aria-invalid': 'true', 'aria-describedby': 'page-error' } : {};
  // After a wrong password the username is kept and the password is what to type again.
  const focusPassword = Boolean(model.username);
  const body = html`<p>${m.loginIntro(model.clientName)}</p>
<form method="post" action="${model.action}">
<input type="hidden" name="interaction" value="${model.interactionId}">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
<div class="field">
<label for="username">${m.username}</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${model.username ?? ''}"${attributes({ autofocus: !focusPassword, ...invalidity })}>
</div>
<div class="field">
<label for="password">${m.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${attributes({ autofocus: focusPassword, ...invalidity })}>
</div>
${model.allowRememberMe ? html`<div class="check"><input id="remember" name="remember" type="checkbox" value="true"><label for="remember">${m.rememberMe}</label></div>` : ''}
<div class="actions"><button type="submit" class="primary">${m.signIn}</button></div>
</form>`;
  return renderPage(ctx, { title: m.loginTitle, body, error, status: statuses[model.error ?? 'none'] });
}
