import { OAuthError } from '../errors/oauth-error.ts';

/** Name–value pairs in the order they were sent; repetition is kept, for the parameter rules to judge. */
export type FormPairs = ReadonlyArray<readonly [name: string, value: string]>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one application/x-www-form-urlencoded name or value: '+' is a space (WHATWG URL §5.1), then
 * percent-decoding. Undefined for a broken percent-encoding or a sequence that is not UTF-8, which
 * callers refuse rather than replace silently. RFC 6749 §2.3.1 encodes Basic credentials this way too.
 */
export function decodeFormComponent(raw: string): string | undefined {
  const text = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

const badEncoding = () =>
  new OAuthError('invalid_request', 'the request body has an invalid percent-encoding or a percent-encoded sequence that is not UTF-8');

/** Parses a form body strictly: bytes that are not UTF-8 and broken percent-encoding are errors. */
export function parseForm(body: Buffer): FormPairs {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new OAuthError('invalid_request', 'the request body is not valid UTF-8');
  }
  const pairs: [string, string][] = [];
  if (text.length === 0) return pairs;
  for (const part of text.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(part.slice(eq + 1));
    if (name === undefined || value === undefined) throw badEncoding();
    pairs.push([name, value]);
  }
  return pairs;
}
