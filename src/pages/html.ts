/**
 * The one way the pages produce markup. `html` is a tagged template that knows, from its own static
 * text, where each value lands (text, a quoted attribute, a URL attribute) and escapes it for that
 * place (OWASP XSS Prevention Cheat Sheet, rules 1, 2 and 5); between attributes it takes only what
 * `attributes()` made. Values may not land anywhere else: an unquoted attribute, an event handler,
 * `style`, a tag or attribute name, a comment, `<script>` or `<style>` are programmer mistakes and
 * throw a TypeError when the template is first used.
 * Raw markup enters only through `trustedHtml()`, so a reviewer greps for one name.
 */

const constructionKey = Symbol('Html');

/** Rendered markup: only `html` and `trustedHtml` make one, so a plain string is never taken for markup. */
export class Html {
  readonly #markup: string;
  /** Not for use: the key is private to this module, so `new Html(…)` elsewhere throws. */
  constructor(markup: string, key: symbol) {
    if (key !== constructionKey) throw new TypeError('html: markup is made with html`…` or trustedHtml(), not new Html()');
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

/**
 * The escape hatch: markup inserted as is. Only for text this code wrote itself (a constant), never
 * for anything that came from a request, a store or configuration.
 */
export function trustedHtml(markup: string): Html {
  return new Html(markup, constructionKey);
}

/** Attributes made by `attributes()`, for a slot between attributes in a tag. */
export class Attributes {
  readonly #markup: string;
  /** Not for use: made only by `attributes()`. */
  constructor(markup: string, key: symbol) {
    if (key !== constructionKey) throw new TypeError('html: attributes are made with attributes(), not new Attributes()');
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

/** What a template accepts: nothing (rendered as nothing), text, numbers, fragments, lists of those. */
export type HtmlValue = Html | Attributes | string | number | boolean | null | undefined | readonly HtmlValue[];

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Old IE closed attributes on a backtick; escaping it costs nothing.
  '`': '&#96;',
};

/** HTML-escapes text for element content or a quoted attribute value (HTML §13.1.2.3, §13.1.3). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => escapes[c]!);
}

// HTML §4 attributes whose value is a URL a browser may navigate to, fetch or submit to.
const urlAttributes = new Set([
  'href', 'src', 'action', 'formaction', 'cite', 'poster', 'data', 'background', 'longdesc', 'manifest',
  'ping', 'icon', 'codebase', 'xlink:href',
]);
// Attributes whose value is code or a list of URLs: no value may be interpolated there.
const codeAttribute = (name: string) => name.startsWith('on') || name === 'style' || name === 'srcset' || name === 'srcdoc';

/**
 * A URL the page may link to: an absolute http(s) URL or a path on this origin. Everything else,
 * `javascript:`, `data:`, a protocol-relative `//host` or `/\host` (WHATWG URL §4.4: a backslash is
 * a slash in special URLs), or anything with control characters or spaces a browser would strip
 * (WHATWG URL §4.4 "remove all ASCII tab or newline"), is refused.
 */
export function isSafeUrl(value: string): boolean {
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  if (!/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value);
}

// What a refused URL becomes: a link to nowhere, or a frame/form target that loads nothing.
const safeUrlFor = (attribute: string) => (attribute === 'href' ? '#' : 'about:blank');

type Slot =
  | { readonly kind: 'text' }
  | { readonly kind: 'attributes' }
  | { readonly kind: 'attribute'; readonly name: string }
  | { readonly kind: 'url'; readonly name: string };

type State =
  | 'text' | 'tag-open' | 'tag-name' | 'before-attribute' | 'attribute-name' | 'after-attribute-name'
  | 'before-value' | 'value-double' | 'value-single' | 'value-unquoted' | 'comment' | 'raw-text';

// Elements whose content the tokenizer does not parse as markup (HTML §13.1.2: raw text elements).
const rawTextElements = new Set(['script', 'style']);

/**
 * Reads the static parts of a template as the HTML tokenizer would (HTML §13.2.5, reduced to what the
 * pages' own markup uses) and says, for each gap between them, where the interpolated value lands.
 * The static parts are this code's own text, so a reduced tokenizer suffices: it only has to
 * recognize the places a value must not go.
 */
function classify(strings: readonly string[]): Slot[] {
  const slots: Slot[] = [];
  let state: State = 'text';
  let tagName = '';
  let closing = false;
  let attribute = '';
  let valueStart = false;
  let rawEnd = '';
  const misuse = (where: string) => new TypeError(`html: a value cannot be interpolated ${where} (after ${JSON.stringify(strings[slots.length]!.slice(-40))})`);

  strings.forEach((chunk, index) => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      switch (state) {
        case 'text':
          if (chunk.startsWith('<!--', i)) {
            state = 'comment';
            i += 3;
          } else if (c === '<' && /[a-zA-Z/!]/.test(chunk[i + 1] ?? '')) {
            state = 'tag-open';
          } else if (c === '<' && i === chunk.length - 1 && index < strings.length - 1) {
            throw misuse('into a tag or attribute name');
          }
          break;
        case 'tag-open':
          closing = c === '/';
          tagName = closing || c === '!' ? '' : c.toLowerCase();
          state = 'tag-name';
          break;
        case 'tag-name':
          if (/\s/.test(c)) state = 'before-attribute';
          else if (c === '>') state = endTag(tagName, closing);
          else if (c !== '/') tagName += c.toLowerCase();
          break;
        case 'before-attribute':
        case 'after-attribute-name':
          if (c === '>') state = endTag(tagName, closing);
          else if (c === '=' && state === 'after-attribute-name') state = 'before-value';
          else if (!/[\s/]/.test(c)) {
            attribute = c.toLowerCase();
            state = 'attribute-name';
          }
          break;
        case 'attribute-name':
          if (c === '=') state = 'before-value';
          else if (c === '>') state = endTag(tagName, closing);
          else if (/[\s/]/.test(c)) state = 'after-attribute-name';
          else attribute += c.toLowerCase();
          break;
        case 'before-value':
          if (c === '"') state = 'value-double';
          else if (c === "'") state = 'value-single';
          else if (c === '>') state = endTag(tagName, closing);
          else if (!/\s/.test(c)) state = 'value-unquoted';
          valueStart = state === 'value-double' || state === 'value-single';
          continue;
        case 'value-double':
        case 'value-single':
          if (c === (state === 'value-double' ? '"' : "'")) state = 'before-attribute';
          break;
        case 'value-unquoted':
          if (/\s/.test(c)) state = 'before-attribute';
          else if (c === '>') state = endTag(tagName, closing);
          break;
        case 'comment':
          if (chunk.startsWith('-->', i)) {
            state = 'text';
            i += 2;
          }
          break;
        case 'raw-text':
          if (chunk.slice(i, i + rawEnd.length).toLowerCase() === rawEnd) {
            state = 'text';
            i += rawEnd.length - 1;
          }
          break;
      }
      valueStart = false;
    }
    if (index === strings.length - 1) return;
    switch (state) {
      case 'text':
        slots.push({ kind: 'text' });
        break;
      case 'value-double':
      case 'value-single': {
        if (codeAttribute(attribute)) throw misuse(`into the ${attribute} attribute`);
        if (!urlAttributes.has(attribute)) {
          slots.push({ kind: 'attribute', name: attribute });
          break;
        }
        // A URL is judged whole: `href="/${a}"` could become `//evil.example` with a = "/evil.example".
        const quote = state === 'value-double' ? '"' : "'";
        if (!valueStart || !strings[index + 1]!.startsWith(quote)) throw misuse(`into part of the URL attribute ${attribute}; pass the whole URL`);
        slots.push({ kind: 'url', name: attribute });
        break;
      }
      case 'before-attribute':
      case 'after-attribute-name':
        slots.push({ kind: 'attributes' });
        break;
      case 'raw-text':
        throw misuse(`inside <${tagName}>`);
      case 'comment':
        throw misuse('inside a comment');
      case 'value-unquoted':
      case 'before-value':
        throw misuse(`into an unquoted attribute value (${attribute}); quote it`);
      default:
        throw misuse('into a tag or attribute name');
    }
  });
  return slots;

  function endTag(name: string, isClosing: boolean): State {
    if (!isClosing && rawTextElements.has(name)) {
      rawEnd = `</${name}`;
      return 'raw-text';
    }
    return 'text';
  }
}

const slotCache = new WeakMap<TemplateStringsArray, Slot[]>();

function renderText(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.toString();
  if (value instanceof Attributes) throw new TypeError('html: attributes() belongs inside a tag');
  if (Array.isArray(value)) return value.map(renderText).join('');
  return escapeHtml(String(value));
}

function renderAttributes(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Attributes) return value.toString();
  throw new TypeError('html: only attributes() may be interpolated between attributes');
}

function renderAttribute(value: HtmlValue, slot: Slot & { kind: 'attribute' | 'url' }): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html || value instanceof Attributes || Array.isArray(value)) throw new TypeError(`html: the ${slot.name} attribute takes text, not markup or a list`);
  const text = String(value);
  if (slot.kind === 'url' && !isSafeUrl(text)) return safeUrlFor(slot.name);
  return escapeHtml(text);
}

/**
 * Attributes that are present or not, or whose name varies, for the place between two attributes of
 * a tag: `true` writes a boolean attribute (HTML §2.3.2), `false` and `undefined` leave it out, a
 * string is escaped as any attribute value, and checked as a URL in a URL attribute.
 *
 * @example
 * html`<input name="password"${attributes({ autofocus: focus, 'aria-invalid': invalid ? 'true' : undefined })}>`
 */
export function attributes(record: Readonly<Record<string, string | number | boolean | undefined>>): Attributes {
  let out = '';
  for (const [name, value] of Object.entries(record)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || codeAttribute(name)) throw new TypeError(`html: ${JSON.stringify(name)} is not an attribute attributes() writes`);
    if (value === undefined || value === false) continue;
    if (value === true) out += ` ${name}`;
    else {
      const text = String(value);
      out += ` ${name}="${urlAttributes.has(name) && !isSafeUrl(text) ? safeUrlFor(name) : escapeHtml(text)}"`;
    }
  }
  return new Attributes(out, constructionKey);
}

/**
 * Renders a template, escaping each value for where it lands.
 *
 * @example
 * html`<a href="${url}">${label}</a>` // url checked as a URL, label escaped as text
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let slots = slotCache.get(strings);
  if (!slots) {
    slots = classify(strings);
    slotCache.set(strings, slots);
  }
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const slot = slots[i]!;
    const value = values[i];
    out += (slot.kind === 'text' ? renderText(value) : slot.kind === 'attributes' ? renderAttributes(value) : renderAttribute(value, slot)) + strings[i + 1]!;
  }
  return new Html(out, constructionKey);
}
