import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { EndpointResponse } from '../endpoints/types.ts';
import { defaultErrors, type ErrorPresenter } from '../errors/error-response.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import { asOAuthError } from '../errors/store-failure.ts';
import type { Logger } from '../util/logger.ts';

export function writeResponse(res: ServerResponse, response: EndpointResponse, headOnly = false): void {
  const body = response.body;
  // node:http only reads the lists (one line per element); their readonly type is the endpoints' promise.
  const headers = response.headers as OutgoingHttpHeaders;
  // RFC 9110 §8.6: no Content-Length on 1xx and 204 answers.
  if (response.status === 204 || response.status < 200) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(response.status, { ...headers, 'content-length': length });
  res.end(headOnly ? undefined : body);
}

/**
 * Any failure becomes the route's error answer. What errors/ does not map to an OAuthError (an
 * unreachable database becomes temporarily_unavailable) is a bug: the client gets server_error with
 * generic text and the request id, the log gets the rest.
 */
export function failureResponse(failure: unknown, requestId: string, logger: Logger, present: ErrorPresenter = defaultErrors): EndpointResponse {
  const error = asOAuthError(failure);
  if (error !== undefined) {
    if (error.status >= 500 && !error.reported) logger.error({ requestId, code: error.code, detail: error.detail }, error.description);
    else logger.debug({ requestId, code: error.code, detail: error.detail }, error.description);
    return present(error, requestId);
  }
  logger.error({ requestId, err: failure }, 'unhandled error');
  return present(new OAuthError('server_error', `an unexpected error occurred (request id ${requestId})`), requestId);
}
