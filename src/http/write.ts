import type { ServerResponse } from 'node:http';
import type { EndpointResponse } from '../endpoints/types.ts';
import { isOAuthError, type OAuthError } from '../errors/oauth-error.ts';
import type { Logger } from '../util/logger.ts';

const basicChallenge = 'Basic realm="idproo", charset="UTF-8"';

export function writeResponse(res: ServerResponse, response: EndpointResponse, headOnly = false): void {
  const body = response.body;
  // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers.
  if (response.status === 204 || response.status < 200) {
    res.writeHead(response.status, response.headers);
    res.end();
    return;
  }
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(response.status, { ...response.headers, 'content-length': length });
  res.end(headOnly ? undefined : body);
}

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. Descriptions may quote
// request values, so anything else becomes '?' and the length is capped.
const maxDescription = 300;
export const safeDescription = (text: string): string => {
  const clean = text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
  return clean.length > maxDescription ? `${clean.slice(0, maxDescription - 3)}...` : clean;
};

/** RFC 6749 §5.2 error body; RFC 7235 §3.1: every 401 names the scheme to use. */
export function errorResponse(error: OAuthError): EndpointResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...error.headers };
  if (error.status === 401 && !headers['www-authenticate']) headers['www-authenticate'] = basicChallenge;
  return { status: error.status, headers, body: JSON.stringify({ error: error.code, error_description: safeDescription(error.description) }) };
}

/**
 * Any failure becomes an RFC-shaped answer. What is not an OAuthError is a bug or an outage: the
 * client gets generic text and the request id, the log gets the rest.
 */
export function failureResponse(error: unknown, requestId: string, logger: Logger): EndpointResponse {
  if (isOAuthError(error)) {
    if (error.status >= 500 && !error.reported) logger.error({ requestId, code: error.code, detail: error.detail }, error.description);
    else logger.debug({ requestId, code: error.code, detail: error.detail }, error.description);
    return errorResponse(error);
  }
  logger.error({ requestId, err: error }, 'unhandled error');
  return {
    status: 500,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: 'server_error', error_description: `an unexpected error occurred (request id ${requestId})` }),
  };
}
