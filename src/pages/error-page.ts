import type { EndpointResponse } from '../endpoints/types.ts';
import { html } from './html.ts';
import { messages, type Catalog } from './i18n.ts';
import { renderPage } from './layout.ts';
import type { PageContext } from './page-context.ts';

export interface ErrorPageModel {
  readonly status: number;
  /** The error code: an RFC 6749 code, or `interaction_expired` / `interaction_replayed`. */
  readonly error: string;
  /** The technical description; already fit for the user to see (never an OAuthError's `detail`). */
  readonly description?: string | undefined;
  /** A link back to the client, only for an error that is not about the client itself. */
  readonly returnUri?: string | undefined;
  readonly returnLabel?: string | undefined;
}

const friendly = (error: string, m: Catalog) => (Object.hasOwn(m.errors, error) ? m.errors[error as keyof Catalog['errors']] : m.errors.default);

/**
 * The page for an error that cannot be sent back to the client (RFC 6749 §4.1.2.1: never redirect
 * to an unverified redirect_uri). A friendly sentence first; the code, the description and the
 * request id in small print, for a support request.
 */
export function errorPage(ctx: PageContext, model: ErrorPageModel): EndpointResponse {
  const m = messages(ctx.locale);
  const body = html`${model.returnUri ? html`<p><a class="button" href="${model.returnUri}">${model.returnLabel ?? m.returnTo(undefined)}</a></p>` : ''}
<div class="technical">
<p>${m.errorCode}: <code>${model.error}</code></p>
${model.description ? html`<p>${model.description}</p>` : ''}
<p>${m.requestId}: <code>${ctx.requestId}</code></p>
</div>`;
  return renderPage(ctx, { title: m.errorTitle, body, error: friendly(model.error, m), status: model.status });
}
