import { OAuthError } from '../errors/oauth-error.ts';

export type FormPairs = ReadonlyArray<readonly [name: string, value: string]>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeComponent(raw: string): string {
  // application/x-www-form-urlencoded: '+' is a space (WHATWG URL §5.1).
  const text = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new OAuthError('invalid_request', 'the request body has an invalid percent-encoding or a percent-encoded sequence that is not UTF-8');
  }
}

/**
 * Parses an application/x-www-form-urlencoded body strictly: bytes that are not UTF-8 and broken
 * percent-encoding are errors rather than silently replaced characters.
 */
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
    const name = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
    pairs.push([name, value]);
  }
  return pairs;
}
