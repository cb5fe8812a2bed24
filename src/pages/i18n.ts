import { en, type Catalog } from './locales/en.ts';
import { id } from './locales/id.ts';

export type { Catalog } from './locales/en.ts';

/** The locales the pages speak; PagesConfig.defaultLocale is one of them. */
export type Locale = 'en' | 'id';

export const locales: readonly Locale[] = ['en', 'id'];

const catalogs: Readonly<Record<Locale, Catalog>> = { en, id };

/** The messages of a locale; English for a value that is not one (the type says it cannot happen, a cast can). */
export function messages(locale: Locale): Catalog {
  return Object.hasOwn(catalogs, locale) ? catalogs[locale] : en;
}

/** Each locale's name in its own language, as a language switch shows it. */
export const localeNames: Readonly<Record<Locale, string>> = { en: 'English', id: 'Bahasa Indonesia' };

/** The cookie that remembers the language chosen on the pages (set by the language endpoint). */
export const languageCookieName = 'idproo.lang';

/**
 * The supported locale a BCP 47 tag (RFC 5646) asks for, by its primary language subtag, compared
 * case-insensitively (RFC 5646 §2.1.1): `en-GB` is English, `id-ID` Indonesian, and so is `in`, the
 * code ISO 639 withdrew in 1989 that old Java and Android systems still send.
 */
export function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0];
  if (primary === 'en') return 'en';
  if (primary === 'id' || primary === 'in') return 'id';
  return undefined;
}

/**
 * The language ranges of an Accept-Language header (RFC 9110 §12.5.4), best first: by q-value,
 * then in the order sent. A range with q=0 is "not acceptable" and dropped, as is `*`, which names
 * no language in particular; a malformed q-value drops its range rather than the header.
 */
function acceptedLanguages(header: string): string[] {
  const ranges: { tag: string; q: number; order: number }[] = [];
  header.split(',').forEach((part, order) => {
    const [tag = '', ...params] = part.split(';').map((s) => s.trim());
    if (tag === '' || tag === '*') return;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i.exec(param);
      if (match) q = Number(match[1]);
      else if (/^q\s*=/i.test(param)) q = -1;
    }
    if (q > 0) ranges.push({ tag, q, order });
  });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map((range) => range.tag);
}

const firstSupported = (tags: readonly string[]) => tags.map(localeOfTag).find((locale) => locale !== undefined);

export interface LocaleHints {
  /** The `ui_locales` request parameter: BCP 47 tags separated by spaces, preferred first (OIDC Core §3.1.2.1). */
  readonly uiLocales?: string | undefined;
  /** The language cookie's value (`id`, or `id.<epoch seconds of the choice>`): the user's own choice on a page. */
  readonly cookie?: string | undefined;
  /**
   * A choice made this recently (ms before `now`) beats `ui_locales`: the user clicked the language
   * switch on the page they are looking at, after the relying party's hint put it in another language.
   */
  readonly recentChoice?: { readonly now: number; readonly withinMs: number } | undefined;
  /** The Accept-Language request header. */
  readonly acceptLanguage?: string | undefined;
  readonly defaultLocale: Locale;
}

/**
 * The locale of a page. The client's `ui_locales` comes first, because the relying party passes on
 * what its user chose there; then the user's own choice on these pages; then the browser's
 * preference; then the configured default. A hint naming no supported language falls through. A
 * choice the user made moments ago (`recentChoice`) comes before everything: it is the language switch
 * on this very page.
 */
export function negotiateLocale(hints: LocaleHints): Locale {
  const choice = parseLanguageCookie(hints.cookie);
  const recent = choice?.chosenAt !== undefined && hints.recentChoice !== undefined && hints.recentChoice.now - choice.chosenAt * 1000 <= hints.recentChoice.withinMs;
  return (
    (recent ? choice!.locale : undefined) ??
    (hints.uiLocales ? firstSupported(hints.uiLocales.split(/\s+/)) : undefined) ??
    choice?.locale ??
    (hints.acceptLanguage ? firstSupported(acceptedLanguages(hints.acceptLanguage)) : undefined) ??
    hints.defaultLocale
  );
}

/** The language cookie: a supported locale, optionally with the epoch second it was chosen (`id.1733600000`). */
export function parseLanguageCookie(value: string | undefined): { readonly locale: Locale; readonly chosenAt?: number } | undefined {
  const match = value === undefined ? null : /^([a-z]{2})(?:\.(\d{1,12}))?$/.exec(value);
  if (match === null || !(locales as readonly string[]).includes(match[1]!)) return undefined;
  return { locale: match[1] as Locale, ...(match[2] === undefined ? {} : { chosenAt: Number(match[2]) }) };
}
