/**
 * The syntax of protocol values, in one place for the configuration schema and the request
 * validators alike.
 */

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeToken = '[\\x21\\x23-\\x5b\\x5d-\\x7e]+';
const scopeTokenPattern = new RegExp(`^${scopeToken}$`);
const scopeListPattern = new RegExp(`^${scopeToken}(?: ${scopeToken})*$`);

/** One scope name (RFC 6749 §3.3 scope-token). */
export const isScopeToken = (value: string): boolean => scopeTokenPattern.test(value);

/** A scope parameter: scope-tokens separated by single spaces (RFC 6749 §3.3). */
export const isScopeList = (value: string): boolean => scopeListPattern.test(value);

/**
 * An absolute URI without a fragment, as RFC 8707 §2 asks of a resource and RFC 6749 §3.1.2 of a
 * redirection endpoint. The URL parser forgives surrounding spaces and drops tabs and newlines
 * anywhere; RFC 3986 §2 allows none of them, and exact comparison would never match such a value,
 * so it is refused instead.
 */
export function isAbsoluteUri(value: string): boolean {
  return !value.includes('#') && !/[\x00-\x20\x7f]/.test(value) && URL.canParse(value);
}
