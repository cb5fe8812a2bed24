import type { X509Certificate } from 'node:crypto';
import type { FormPairs } from '../util/form-urlencoded.ts';

/** What an endpoint sees of a request: no framework object, so the core runs under any server. */
export interface EndpointRequest {
  readonly method: string;
  readonly requestId: string;
  /** The address the connection came from, for throttling and the log (no proxy header is trusted yet). */
  readonly remoteAddress: string | undefined;
  /** The certificate the client presented on a TLS connection (RFC 8705 mutual TLS), if any. */
  readonly clientCertificate: X509Certificate | undefined;
  /**
   * The query string's parameters (RFC 6749 §3.1: the authorization endpoint reads them there), decoded
   * as strictly as a form body; throws OAuthError on broken encoding.
   */
  readQuery(): FormPairs;
  /** A cookie's value (RFC 6265 §5.4), the first one sent under that name, or undefined. */
  cookie(name: string): string | undefined;
  /**
   * The one value of a request header (name in lower case), or undefined. A header sent on more than
   * one line is `invalid_request`: RFC 9110 §5.3 forbids combining lines of a header that is not a
   * list, such as Authorization, and two credentials are two authentications (RFC 6749 §5.2).
   */
  header(name: string): string | undefined;
  /** Reads an application/x-www-form-urlencoded body; throws OAuthError on a wrong type, size or encoding. */
  readForm(): Promise<FormPairs>;
}

export interface EndpointResponse {
  readonly status: number;
  /** A list is sent as repeated header lines, as Set-Cookie needs (RFC 6265 §3: never folded into one). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer | string | undefined;
}

export type Endpoint = (request: EndpointRequest) => Promise<EndpointResponse> | EndpointResponse;

/** RFC 6749 §5.1: token responses and anything carrying credentials must not be cached. */
export const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export const jsonResponse = (body: unknown, headers: Record<string, string> = {}, status = 200): EndpointResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});
