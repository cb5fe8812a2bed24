import type { FormPairs } from '../http/form.ts';

export type HeaderValue = string | string[] | undefined;

/** What an endpoint sees of a request: no framework object, so the core runs under any server. */
export interface EndpointRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly requestId: string;
  /** Reads an application/x-www-form-urlencoded body; throws OAuthError on a wrong type, size or encoding. */
  readForm(): Promise<FormPairs>;
}

export interface EndpointResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
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
