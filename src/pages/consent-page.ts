import type { EndpointResponse } from '../endpoints/types.ts';
import { attributes, html, type Html } from './html.ts';
import { messages, type Catalog } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

/** A scope as the consent page shows it. */
export interface ScopeView {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  /** Shown ticked and cannot be unticked (openid: without it there is no sign-in at all). */
  readonly required: boolean;
  readonly checked: boolean;
}

export interface ConsentPageModel {
  readonly action: string;
  readonly interactionId: string;
  readonly csrfToken: string;
  readonly clientName: string;
  readonly clientUri?: string | undefined;
  readonly logoUri?: string | undefined;
  readonly identityScopes: readonly ScopeView[];
  readonly apiScopes: readonly ScopeView[];
  /** Offer "Remember my decision" (the client allows remembered consent). */
  readonly allowRemember: boolean;
  readonly error?: 'csrf' | undefined;
}

const scopeLabel = (scope: ScopeView, m: Catalog) =>
  scope.displayName ?? (Object.hasOwn(m.standardScopes, scope.name) ? m.standardScopes[scope.name as keyof Catalog['standardScopes']] : scope.name);

/**
 * One scope's checkbox. A disabled control is not submitted (HTML §4.10.18.5), so a required scope
 * also travels in a hidden input: the user sees it cannot be unticked, and it is sent all the same.
 */
function scopeItem(scope: ScopeView, id: string, m: Catalog): Html {
  const hint = scope.description ? `${id}-hint` : undefined;
  return html`<div class="check">
<input type="checkbox" id="${id}" name="scope" value="${scope.name}"${attributes({ checked: scope.required || scope.checked, disabled: scope.required, 'aria-describedby': hint })}>
<label for="${id}">${scopeLabel(scope, m)}${scope.required ? html` <span class="hint">${m.required}</span>` : ''}</label>
${hint ? html`<p class="hint" id="${hint}">${scope.description}</p>` : ''}
${scope.required ? html`<input type="hidden" name="scope" value="${scope.name}">` : ''}
</div>`;
}

function scopeGroup(legend: string, scopes: readonly ScopeView[], prefix: string, m: Catalog): Html | '' {
  if (scopes.length === 0) return '';
  return html`<fieldset><legend>${legend}</legend>${scopes.map((scope, i) => scopeItem(scope, `${prefix}-${i}`, m))}</fieldset>`;
}

/**
 * The consent form (OIDC Core §3.1.2.4: the server obtains the user's authorization): which client
 * asks, for what, and two submit buttons whose `decision` says the answer. Scopes are shown by their
 * display name, or for the OIDC Core §5.4 scopes by a localized description.
 */
export function consentPage(ctx: PageContext, model: ConsentPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const body = html`<div class="client">
${model.logoUri ? html`<img class="client-logo" src="${model.logoUri}" alt="${m.clientLogo(model.clientName)}" width="48" height="48">` : ''}
<p>${m.consentIntro}</p>
</div>
${model.clientUri ? html`<p><a href="${model.clientUri}" rel="noopener noreferrer">${m.clientWebsite}</a></p>` : ''}
<form method="post" action="${model.action}">
<input type="hidden" name="interaction" value="${model.interactionId}">
<input type="hidden" name="csrf_token" value="${model.csrfToken}">
${scopeGroup(m.identityScopes, model.identityScopes, 'identity-scope', m)}
${scopeGroup(m.apiScopes, model.apiScopes, 'api-scope', m)}
${model.allowRemember ? html`<div class="check"><input id="remember" name="remember" type="checkbox" value="true"><label for="remember">${m.rememberDecision}</label></div>` : ''}
<div class="actions">
<button type="submit" name="decision" value="allow" class="primary">${m.allow}</button>
<button type="submit" name="decision" value="deny" class="secondary">${m.deny}</button>
</div>
</form>`;
  return renderPage(ctx, {
    title: m.consentHeading(model.clientName),
    body,
    error: model.error === 'csrf' ? m.formExpired : undefined,
    status: model.error === 'csrf' ? 403 : 200,
    images: model.logoUri ? [model.logoUri] : undefined,
  });
}
