import type { Duplex } from 'node:stream';

const statusText: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' };

function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Answers requests that Node's HTTP parser rejects before any handler runs (malformed framing,
 * oversized headers, timeouts) in the same JSON shape as every other error, then closes the socket.
 * Attach with `server.on('clientError', answerClientError)`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = statusFor(error.code);
  const body = JSON.stringify({ error: 'invalid_request', error_description: 'the request is not valid HTTP/1.1' });
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\npragma: no-cache\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
