import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointRequest } from '../../src/endpoints/types.ts';
import { OAuthError } from '../../src/errors/oauth-error.ts';
import { createLanguageEndpoint, isSafeReturnPath, stylesheetEndpoint } from '../../src/pages/index.ts';

function request(query: string, method = 'GET'): EndpointRequest {
  return {
    method,
    requestId: 'r',
    remoteAddress: undefined,
    clientCertificate: undefined,
    readQuery: () => {
      if (query.includes('%zz')) throw new OAuthError('invalid_request', 'bad encoding');
      return [...new URLSearchParams(query)];
    },
    cookie: () => undefined,
    header: () => undefined,
    readForm: () => Promise.reject(new Error('no body')),
  };
}

const NOW = 1_750_000_000_000;
const endpoint = createLanguageEndpoint({ secure: false, now: () => NOW });
const answer = async (query: string, method?: string) => endpoint(request(query, method));

describe('the language endpoint', () => {
  it('remembers the language and returns to the page with 303', async () => {
    const response = await answer(`lang=id&return=${encodeURIComponent('/account/login?interaction=abc&x=1')}`);
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/account/login?interaction=abc&x=1');
    assert.deepEqual(response.headers['set-cookie'], ['idproo.lang=id.1750000000; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax']);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('marks the cookie Secure behind an https issuer', async () => {
    const response = await createLanguageEndpoint({ secure: true, now: () => NOW })(request('lang=en&return=/'));
    assert.deepEqual(response.headers['set-cookie'], ['idproo.lang=en.1750000000; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure']);
  });

  it('ignores a language it does not know, and still returns', async () => {
    for (const lang of ['fr', 'ID', '', 'id; Domain=evil.example', '__proto__']) {
      const response = await answer(`lang=${encodeURIComponent(lang)}&return=/account/login`);
      assert.equal(response.headers['set-cookie'], undefined, lang);
      assert.equal(response.headers.location, '/account/login');
    }
  });

  const openRedirects = [
    'https://evil.example/',
    'http://evil.example',
    '//evil.example/',
    '///evil.example/',
    '/\\evil.example/',
    '\\/evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r\nSet-Cookie: x=1',
    ' /account',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/ünïcode',
    '/%0d%0aSet-Cookie:x'.replace('%0d%0a', '\r\n'),
    `/${'a'.repeat(3000)}`,
  ];
  for (const target of openRedirects) {
    it(`sends the browser to / rather than to ${JSON.stringify(target.slice(0, 40))}`, async () => {
      assert.equal(isSafeReturnPath(target), false);
      const response = await answer(new URLSearchParams({ lang: 'id', return: target }).toString());
      assert.equal(response.status, 303);
      assert.equal(response.headers.location, '/');
    });
  }

  it('keeps percent-encoded sequences as they are: they stay inside the path', async () => {
    const response = await answer(new URLSearchParams({ lang: 'en', return: '/a/%2F%2Fevil.example' }).toString());
    assert.equal(response.headers.location, '/a/%2F%2Fevil.example');
  });

  it('takes the first of repeated parameters', async () => {
    const response = await answer('lang=id&lang=en&return=/one&return=https://evil.example');
    assert.equal(response.headers.location, '/one');
    assert.match(String(response.headers['set-cookie']), /idproo\.lang=id\.\d+;/);
  });

  it('returns to / without a return parameter or with a broken query', async () => {
    assert.equal((await answer('lang=id')).headers.location, '/');
    assert.equal((await answer('lang=id&return=%zz')).headers.location, '/');
  });

  it('answers only GET and HEAD', async () => {
    assert.equal((await answer('lang=id&return=/', 'POST')).status, 405);
    assert.equal((await answer('lang=id&return=/', 'HEAD')).status, 303);
  });
});

describe('the stylesheet endpoint', () => {
  it('serves CSS, cacheable for a day, not to be sniffed', async () => {
    const response = await stylesheetEndpoint(request(''));
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'public, max-age=86400');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.body), /:focus-visible\s*\{[^}]*outline: 3px solid/);
  });
});

describe('a recent choice on the page', () => {
  it('beats ui_locales; an old one does not', async () => {
    const { negotiateLocale } = await import('../../src/pages/index.ts');
    const now = 1_750_000_000_000;
    const hints = { uiLocales: 'id', defaultLocale: 'en' as const, recentChoice: { now, withinMs: 600_000 } };
    assert.equal(negotiateLocale({ ...hints, cookie: `en.${now / 1000 - 60}` }), 'en');
    assert.equal(negotiateLocale({ ...hints, cookie: `en.${now / 1000 - 3600}` }), 'id');
    assert.equal(negotiateLocale({ ...hints, cookie: 'en' }), 'id');
    assert.equal(negotiateLocale({ ...hints, uiLocales: undefined, cookie: 'en' }), 'en');
    assert.equal(negotiateLocale({ ...hints, cookie: 'en.abc' }), 'id');
  });
});
