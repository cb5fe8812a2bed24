import { OAuthError } from '../errors/oauth-error.ts';
import type { FormPairs } from '../util/form-urlencoded.ts';

/**
 * The parameters an endpoint (or a grant) reads, by wire name: `single` may appear once, `repeatable`
 * any number of times (RFC 8707 `resource`). Whatever is not listed is ignored.
 */
export type ParameterList = { readonly [name: string]: 'single' | 'repeatable' };

/** A request's parameters parsed against a list: one typed, read-only record. */
export type RequestParameters<L extends ParameterList> = {
  readonly [K in keyof L]: L[K] extends 'repeatable' ? readonly string[] : string | undefined;
};

/**
 * The rules every endpoint shares, in one place: a parameter sent without a value is treated as
 * omitted, unknown parameters are ignored (RFC 6749 §3.1), and a listed parameter sent twice is
 * `invalid_request` unless it may repeat (RFC 6749 §3.1, §3.2).
 */
export function parseParameters<L extends ParameterList>(pairs: FormPairs, list: L): RequestParameters<L> {
  const parsed: Record<string, string | string[] | undefined> = {};
  for (const name of Object.keys(list)) parsed[name] = list[name] === 'repeatable' ? [] : undefined;
  for (const [name, value] of pairs) {
    if (value === '' || !Object.hasOwn(list, name)) continue;
    const current = parsed[name];
    if (Array.isArray(current)) current.push(value);
    else if (current !== undefined) throw new OAuthError('invalid_request', `the parameter ${name} is included more than once`);
    else parsed[name] = value;
  }
  return parsed as RequestParameters<L>;
}

export function requireParameter(value: string | undefined, name: string): string {
  if (value === undefined) throw new OAuthError('invalid_request', `the ${name} parameter is missing`);
  return value;
}
