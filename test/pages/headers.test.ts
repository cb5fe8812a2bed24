import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, pageHeaders } from '../../src/pages/headers.ts';
import { allPages, settings } from './fixtures.ts';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('page headers', () => {
  for (const [name, page] of Object.entries(allPages('en', 'https://client.example'))) {
    it(`${name}: carries the security headers and is never cached`, () => {
      const h = page.headers;
      assert.equal(h['content-type'], 'text/html; charset=utf-8');
      assert.equal(h['x-frame-options'], 'DENY');
      assert.equal(h['referrer-policy'], 'no-referrer');
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['cache-control'], 'no-store');
      const csp = directives(h['content-security-policy'] as string);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'none'"]);
      assert.equal(csp.get('form-action')?.[0], "'self'");
      const scripts = csp.get('script-src');
      if (name === 'form post') assert.match(scripts?.join(' ') ?? '', /^'sha256-[A-Za-z0-9+/]+=*'$/);
      else assert.equal(scripts, undefined);
      assert.ok(!/unsafe/.test(h['content-security-policy'] as string));
    });
  }

  it('allows the origin of an https host stylesheet and logo, and only those', () => {
    const csp = directives(contentSecurityPolicy({ settings: { ...settings, stylesheetUrl: 'https://cdn.example:8443/brand/site.css?v=2', logoUrl: 'https://img.example/logo.svg' } }));
    assert.deepEqual(csp.get('style-src'), ["'self'", 'https://cdn.example:8443']);
    assert.deepEqual(csp.get('font-src'), ["'self'", 'https://cdn.example:8443']);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'https://img.example', 'https://cdn.example:8443']);
  });

  it('needs nothing more for a stylesheet and logo on this server', () => {
    const csp = directives(contentSecurityPolicy({ settings: { ...settings, stylesheetUrl: '/brand.css', logoUrl: '/logo.png' } }));
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
  });

  it('adds the form targets it is given, by origin, and ignores what is not an http(s) URL', () => {
    const csp = directives(contentSecurityPolicy({ settings, formActions: ['https://rp.example/cb?x=1', 'http://localhost:3000/cb', 'javascript:alert(1)', "https://a.example/'unsafe-inline'", 'com.example.app:/cb'] }));
    assert.deepEqual(csp.get('form-action'), ["'self'", 'https://rp.example', 'http://localhost:3000', 'https://a.example']);
  });

  it('cannot be widened by a value with a directive separator in it', () => {
    const csp = contentSecurityPolicy({ settings, formActions: ['https://rp.example/; script-src *'], images: ['https://x.example/a,b; default-src *'] });
    assert.equal(csp.split(';').length, 7);
    assert.ok(!csp.includes('*'));
  });

  it('drops a URL whose host the URL parser lets through with ; , or a quote in it', () => {
    const csp = contentSecurityPolicy({ settings, formActions: ['https://x;script-src/', 'https://x%3Bscript-src/', 'https://a,b.example/', "https://a'unsafe-eval'/", 'https://[::1]:8443/', 'https://bücher.example/'] });
    assert.deepEqual(directives(csp).get('form-action'), ["'self'", 'https://xn--bcher-kva.example']);
    assert.equal(csp.split(';').length, 7);
  });

  it('sends Set-Cookie lines as a list, one header line each', () => {
    const headers = pageHeaders({ settings, cookies: ['a=1; Path=/', 'b=2; Path=/'] });
    assert.deepEqual(headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
    assert.equal(pageHeaders({ settings })['set-cookie'], undefined);
  });

  it("lists the form post's target in form-action and its script by hash", () => {
    const page = allPages('en', 'https://client.example')['form post']!;
    const csp = directives(page.headers['content-security-policy'] as string);
    assert.deepEqual(csp.get('form-action'), ["'self'", 'https://client.example']);
  });
});
