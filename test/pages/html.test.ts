import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributes, escapeHtml, html, Html, isSafeUrl, trustedHtml } from '../../src/pages/html.ts';

const hostile = [
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '` onmouseover=alert(1)',
  '<img src=x onerror=alert(1)>',
  '&lt;already escaped&gt;',
  '</textarea><svg onload=alert(1)>',
];

/** No value may leave its slot: no tag, no quote, no backtick, no bare ampersand survives escaping. */
const assertInert = (rendered: string, value: string) => {
  assert.doesNotMatch(rendered, /<script|<img|<svg|<\/textarea/i, `${value} injected markup`);
  assert.ok(!rendered.includes(value) || !/[<>"'`&]/.test(value), `${value} appears unescaped`);
};

describe('html: text', () => {
  for (const value of hostile) {
    it(`escapes ${JSON.stringify(value)} in element content`, () => {
      const rendered = html`<p>${value}</p>`.toString();
      assertInert(rendered, value);
      assert.equal(rendered, `<p>${escapeHtml(value)}</p>`);
    });
  }

  it('escapes & < > " \' and the backtick', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('keeps unicode text as it is, including right-to-left and zero-width characters', () => {
    const value = 'Budi Santoso — 日本語 \u202eevil\u202c \u200b 😀';
    assert.equal(html`<p>${value}</p>`.toString(), `<p>${value}</p>`);
  });

  it('renders nothing for null, undefined and booleans, so conditions read naturally', () => {
    assert.equal(html`<p>${null}${undefined}${false}${true}</p>`.toString(), '<p></p>');
  });

  it('renders numbers', () => {
    assert.equal(html`<p>${42}</p>`.toString(), '<p>42</p>');
  });

  it('inserts nested fragments as markup and joins lists of them', () => {
    const items = ['a<', 'b>'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.toString(), '<ul><li>a&lt;</li><li>b&gt;</li></ul>');
  });

  it('escapes plain strings inside a list', () => {
    assert.equal(html`<p>${['<b>', html`<i>x</i>`]}</p>`.toString(), '<p>&lt;b&gt;<i>x</i></p>');
  });

  it('takes raw markup only through trustedHtml', () => {
    assert.equal(html`<p>${trustedHtml('<br>')}</p>`.toString(), '<p><br></p>');
  });

  it('makes markup only through its own functions: a hand-made Html is refused', () => {
    assert.throws(() => new Html('<script>', Symbol('Html')), TypeError);
  });

  it('does not take an object that merely looks like markup', () => {
    const lookalike = { toString: () => '<script>alert(1)</script>' };
    assert.equal(html`<p>${lookalike as unknown as string}</p>`.toString(), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
});

describe('html: attributes', () => {
  for (const value of hostile) {
    it(`escapes ${JSON.stringify(value)} in double- and single-quoted attribute values`, () => {
      const double = html`<input value="${value}">`.toString();
      const single = html`<input value='${value}'>`.toString();
      assertInert(double, value);
      assertInert(single, value);
      assert.equal(double, `<input value="${escapeHtml(value)}">`);
    });
  }

  it('lets a value share an ordinary attribute with static text', () => {
    assert.equal(html`<p class="note ${'x"y'}">t</p>`.toString(), '<p class="note x&quot;y">t</p>');
  });

  it('refuses markup in an attribute', () => {
    assert.throws(() => html`<p title="${html`<b>x</b>`}"></p>`, TypeError);
  });

  it('refuses a value in an unquoted attribute, an event handler, style, a tag name, a comment or a script', () => {
    const value = 'x';
    assert.throws(() => html`<p title=${value}></p>`, /unquoted/);
    assert.throws(() => html`<p onclick="${value}"></p>`, /onclick/);
    assert.throws(() => html`<p style="${value}"></p>`, /style/);
    assert.throws(() => html`<${value}>`, /tag or attribute name/);
    assert.throws(() => html`<p ${value}></p>`, /only attributes\(\)/);
    assert.throws(() => html`<p data-${value}="1"></p>`, /tag or attribute name/);
    assert.throws(() => html`<p title=${value}></p>`, /unquoted/);
    assert.throws(() => html`<!-- ${value} -->`, /comment/);
    assert.throws(() => html`<script>${value}</script>`, /script/);
    assert.throws(() => html`<style>${value}</style>`, /style/);
  });

  it('takes values again once a script element is closed', () => {
    assert.equal(html`<script>1</script><p>${'<'}</p>`.toString(), '<script>1</script><p>&lt;</p>');
  });
});

describe('html: URL attributes', () => {
  const refused = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/',
    '/\\evil.example/',
    '/\t/evil.example/',
    '\\\\evil.example',
    'https://exa mple.com/',
    'https://',
    'relative/path',
    '?query',
    '',
  ];
  for (const value of refused) {
    it(`turns ${JSON.stringify(value)} into a harmless URL`, () => {
      assert.equal(isSafeUrl(value), false);
      assert.equal(html`<a href="${value}">x</a>`.toString(), '<a href="#">x</a>');
      assert.equal(html`<form action="${value}"></form>`.toString(), '<form action="about:blank"></form>');
      assert.equal(html`<img src="${value}" alt="">`.toString(), '<img src="about:blank" alt="">');
      assert.equal(html`<button formaction='${value}'>x</button>`.toString(), `<button formaction='about:blank'>x</button>`);
    });
  }

  const accepted = ['https://client.example/cb?a=1&b="2"', 'http://127.0.0.1:3000/cb', 'HTTPS://client.example/', '/account/login?interaction=abc&x=%22', '/'];
  for (const value of accepted) {
    it(`keeps ${JSON.stringify(value)}, escaped`, () => {
      assert.equal(isSafeUrl(value), true);
      assert.equal(html`<a href="${value}">x</a>`.toString(), `<a href="${escapeHtml(value)}">x</a>`);
    });
  }

  it('escapes a quote-breaking URL that is otherwise acceptable', () => {
    const value = 'https://client.example/"><script>alert(1)</script>';
    assert.equal(html`<a href="${value}">x</a>`.toString(), '<a href="https://client.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</a>');
  });

  it('judges a URL whole: a value may not be only part of one', () => {
    const value = '/evil.example';
    assert.throws(() => html`<a href="/${value}">x</a>`, /pass the whole URL/);
    assert.throws(() => html`<a href="${value}/x">x</a>`, /pass the whole URL/);
    assert.throws(() => html`<a href="${value}${value}">x</a>`, /pass the whole URL/);
  });

  it('refuses a list in a URL attribute', () => {
    assert.throws(() => html`<a href="${['/a', '/b']}">x</a>`, TypeError);
  });
});

describe('html: attributes()', () => {
  it('writes boolean attributes, leaves out false and undefined, escapes values', () => {
    const rendered = html`<input name="a"${attributes({ autofocus: true, required: false, title: undefined, 'aria-label': '"><script>' })}>`;
    assert.equal(rendered.toString(), '<input name="a" autofocus aria-label="&quot;&gt;&lt;script&gt;">');
  });

  it('checks URL attributes', () => {
    assert.equal(html`<a class="x"${attributes({ href: 'javascript:alert(1)' })}>x</a>`.toString(), '<a class="x" href="#">x</a>');
    assert.equal(html`<img alt=""${attributes({ src: '//evil.example/x.png' })}>`.toString(), '<img alt="" src="about:blank">');
  });

  it('refuses event handlers, style and names that are not attribute names', () => {
    assert.throws(() => attributes({ onclick: 'alert(1)' }), TypeError);
    assert.throws(() => attributes({ style: 'x' }), TypeError);
    assert.throws(() => attributes({ 'a b': 'x' }), TypeError);
    assert.throws(() => attributes({ 'x"onclick': 'x' }), TypeError);
  });

  it('belongs only between attributes', () => {
    assert.throws(() => html`<p>${attributes({ hidden: true })}</p>`, TypeError);
    assert.throws(() => html`<p title="${attributes({ hidden: true })}"></p>`, TypeError);
  });
});
