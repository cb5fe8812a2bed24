import { createHash } from 'node:crypto';
import type { EndpointResponse } from '../endpoints/types.ts';
import { paths } from '../endpoints/paths.ts';
import { pageHeaders } from './headers.ts';
import { html, trustedHtml, type Html } from './html.ts';
import { localeNames, locales, messages } from './i18n.ts';
import type { PageContext } from './page-context.ts';
import { isSafeReturnPath } from './return-path.ts';

export interface PageContent {
  /** The page's title: the document title (with the product name) and its one h1. */
  readonly title: string;
  readonly body: Html;
  /** A message for the alert region (WAI-ARIA 1.2 `alert`), read out by screen readers as the page opens. */
  readonly error?: string | undefined;
  readonly status?: number | undefined;
  /** Image URLs from elsewhere shown on the page, for the CSP. */
  readonly images?: readonly string[] | undefined;
  /** Form targets besides this server and those of the context, for the CSP. */
  readonly formActions?: readonly string[] | undefined;
  /**
   * The text of one inline script, a constant of this code, never built from input: the CSP allows
   * it by its hash (CSP 3 §8.4), so no 'unsafe-inline' is needed and nothing else runs.
   */
  readonly script?: string | undefined;
  /** The language switch is left off a page that must not be loaded twice, such as a form post. */
  readonly languageSwitch?: boolean | undefined;
}

/** CSP 3 §8.4: a hash source is the base64 SHA-256 of the script element's exact text. */
export const scriptHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The link that switches to `locale` and comes back to this page. */
function languageHref(locale: string, currentPath: string): string {
  const back = isSafeReturnPath(currentPath) ? currentPath : '/';
  return `${paths.language}?${new URLSearchParams({ lang: locale, return: back })}`;
}

function languageSwitch(ctx: PageContext): Html {
  const items = locales.map((locale) =>
    locale === ctx.locale
      ? html`<li><span aria-current="true" lang="${locale}">${localeNames[locale]}</span></li>`
      : html`<li><a href="${languageHref(locale, ctx.currentPath)}" lang="${locale}" hreflang="${locale}">${localeNames[locale]}</a></li>`,
  );
  return html`<nav class="languages" aria-label="${messages(ctx.locale).language}"><ul>${items}</ul></nav>`;
}

/**
 * The one layout of every page: a header with the product, a card with the content, the language
 * switch below. No script unless a page brings its hashed one; readable on a phone (the viewport
 * meta, a card of limited width); the built-in stylesheet first, so the host's can override it.
 */
export function renderPage(ctx: PageContext, content: PageContent): EndpointResponse {
  const { settings } = ctx;
  const m = messages(ctx.locale);
  const document = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.pageTitle(content.title, settings.productName)}</title>
<link rel="stylesheet" href="${paths.stylesheet}">
${settings.stylesheetUrl ? html`<link rel="stylesheet" href="${settings.stylesheetUrl}">` : ''}
</head>
<body>
<header class="brand">
${settings.logoUrl ? html`<img class="logo" src="${settings.logoUrl}" alt="">` : ''}
<span class="product">${settings.productName}</span>
</header>
<main class="card">
<h1>${content.title}</h1>
${content.error ? html`<div class="alert" role="alert" id="page-error">${content.error}</div>` : ''}
${content.body}
</main>
${content.languageSwitch === false ? '' : html`<footer>${languageSwitch(ctx)}</footer>`}
${content.script ? trustedHtml(`<script>${content.script}</script>`) : ''}
</body>
</html>
`;
  return {
    status: content.status ?? 200,
    headers: pageHeaders({
      settings,
      formActions: [...(ctx.formActions ?? []), ...(content.formActions ?? [])],
      images: content.images,
      scriptHashes: content.script ? [scriptHash(content.script)] : undefined,
      cookies: ctx.cookies,
    }),
    body: document.toString(),
  };
}
