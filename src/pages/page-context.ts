import type { PagesConfig } from '../config/schema.ts';
import type { Locale } from './i18n.ts';

/** What every page needs besides its own model; the endpoint that renders the page fills it. */
export interface PageContext {
  readonly locale: Locale;
  /** Shown on error pages, so a user's report can be matched to the log. */
  readonly requestId: string;
  readonly settings: PagesConfig;
  /** The path and query of this page, where the language switch returns to. */
  readonly currentPath: string;
  /** Set-Cookie lines to send with the page. */
  readonly cookies?: readonly string[] | undefined;
  /**
   * URLs (or origins) this page's forms may submit to besides this server, for CSP form-action.
   * Chromium applies form-action to the redirects that answer a form submission as well (CSP 3
   * §6.1.7 in practice), so a login, consent or logout form whose POST is answered by a redirect
   * to the client must list the client's redirect_uri (or post_logout_redirect_uri) here.
   */
  readonly formActions?: readonly string[] | undefined;
}
