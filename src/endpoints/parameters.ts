import { OAuthError } from '../errors/oauth-error.ts';
import type { FormPairs } from '../http/form.ts';

/** Request parameters after the rules every endpoint shares (RFC 6749 §3.1, §3.2). */
export interface Parameters {
  /** The single value of a parameter; a repeated parameter is `invalid_request` (RFC 6749 §3.2). */
  get(name: string): string | undefined;
  /** Every value, for the few parameters that may repeat (RFC 8707 `resource`). */
  getAll(name: string): readonly string[];
}

/**
 * RFC 6749 §3.1: parameters sent without a value are treated as omitted. Repetition is checked when
 * a parameter is read, so each endpoint decides which of its parameters may repeat, and unknown
 * parameters are ignored whatever their count.
 */
export function toParameters(pairs: FormPairs): Parameters {
  const values = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    if (value === '') continue;
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return {
    get(name) {
      const list = values.get(name);
      if (list && list.length > 1) throw new OAuthError('invalid_request', `the parameter ${name} is included more than once`);
      return list?.[0];
    },
    getAll: (name) => values.get(name) ?? [],
  };
}

export function requireParameter(params: Parameters, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError('invalid_request', `the ${name} parameter is missing`);
  return value;
}
