import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en, type Catalog } from '../../src/pages/locales/en.ts';
import { id } from '../../src/pages/locales/id.ts';
import { localeOfTag, messages, negotiateLocale } from '../../src/pages/i18n.ts';

describe('negotiateLocale', () => {
  const defaultLocale = 'en' as const;

  it('takes the first supported tag of ui_locales, a space-separated list (OIDC Core §3.1.2.1)', () => {
    assert.equal(negotiateLocale({ uiLocales: 'fr-CA id-ID en', defaultLocale }), 'id');
    assert.equal(negotiateLocale({ uiLocales: 'de  en-GB id', defaultLocale: 'id' }), 'en');
  });

  it('prefers ui_locales over the cookie, the cookie over Accept-Language, and that over the default', () => {
    const all = { uiLocales: 'id', cookie: 'en', acceptLanguage: 'en', defaultLocale };
    assert.equal(negotiateLocale(all), 'id');
    assert.equal(negotiateLocale({ ...all, uiLocales: undefined, cookie: 'id' }), 'id');
    assert.equal(negotiateLocale({ ...all, uiLocales: undefined, cookie: undefined, acceptLanguage: 'id' }), 'id');
    assert.equal(negotiateLocale({ defaultLocale: 'id' }), 'id');
  });

  it('falls through a hint that names no supported language', () => {
    assert.equal(negotiateLocale({ uiLocales: 'fr de', cookie: 'xx', acceptLanguage: 'ja', defaultLocale: 'id' }), 'id');
    assert.equal(negotiateLocale({ uiLocales: 'fr', cookie: 'id', defaultLocale }), 'id');
  });

  it('orders Accept-Language by q-value, then by position (RFC 9110 §12.5.4)', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.5, id;q=0.8', defaultLocale }), 'id');
    assert.equal(negotiateLocale({ acceptLanguage: 'id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7', defaultLocale }), 'id');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr-FR, en;q=0.9, id;q=0.9', defaultLocale: 'id' }), 'en');
  });

  it('drops ranges with q=0, *, and malformed q-values', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'id;q=0, en;q=0.1', defaultLocale: 'id' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: '*', defaultLocale: 'id' }), 'id');
    assert.equal(negotiateLocale({ acceptLanguage: 'id;q=2, en;q=0.2', defaultLocale: 'id' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: ',,;;q=,', defaultLocale: 'id' }), 'id');
  });

  it('reads the primary subtag case-insensitively, with the withdrawn "in" as Indonesian', () => {
    assert.equal(localeOfTag('ID-id'), 'id');
    assert.equal(localeOfTag('in'), 'id');
    assert.equal(localeOfTag('in-ID'), 'id');
    assert.equal(localeOfTag('en-Latn-US'), 'en');
    assert.equal(localeOfTag('eng'), undefined);
    assert.equal(localeOfTag('ind'), undefined);
  });

  it('accepts only a supported locale from the cookie, exactly', () => {
    assert.equal(negotiateLocale({ cookie: 'id-ID', defaultLocale }), 'en');
    assert.equal(negotiateLocale({ cookie: '__proto__', defaultLocale }), 'en');
  });
});

describe('catalogs', () => {
  it('give every locale the keys of the English one', () => {
    const keys = (catalog: object): string[] =>
      Object.entries(catalog).flatMap(([key, value]) => (typeof value === 'object' ? keys(value).map((k) => `${key}.${k}`) : [key])).sort();
    assert.deepEqual(keys(id), keys(en));
  });

  it('speak Indonesian on the Indonesian pages', () => {
    const m = messages('id');
    assert.equal(m.username, 'Nama pengguna');
    assert.equal(m.password, 'Kata sandi');
    assert.equal(m.signIn, 'Masuk');
    assert.equal(m.allow, 'Izinkan');
    assert.equal(m.deny, 'Tolak');
    assert.equal(m.signOut, 'Keluar');
    assert.equal(m.rememberMe, 'Ingat saya');
    assert.equal(m.throttled(90), 'Terlalu banyak percobaan. Silakan coba lagi dalam 2 menit.');
  });

  it('count in English', () => {
    assert.equal(en.throttled(1), 'Too many attempts. Please try again in 1 second.');
    assert.equal(en.throttled(30), 'Too many attempts. Please try again in 30 seconds.');
    assert.equal(en.throttled(60), 'Too many attempts. Please try again in 1 minute.');
  });

  it('a catalog missing a key does not type-check', () => {
    const { deny: _deny, ...withoutDeny } = id;
    // @ts-expect-error Property 'deny' is missing
    const incomplete: Catalog = withoutDeny;
    // @ts-expect-error a message's parameters are part of its key
    const wrongParameters: Catalog = { ...id, throttled: (seconds: string) => seconds };
    assert.ok(incomplete && wrongParameters);
  });
});
