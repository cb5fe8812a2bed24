import type { IncomingMessage } from 'node:http';
import { OAuthError } from '../errors/oauth-error.ts';

/** Default cap on request bodies: generous for OAuth forms (a JWT assertion is a few KiB). */
export const defaultMaxBodyBytes = 64 * 1024;

// Connection: close makes Node drop the socket after the answer instead of reading the rest of the body.
const tooLarge = (limit: number) =>
  new OAuthError('invalid_request', `the request body exceeds ${limit} bytes`, { status: 413, headers: { connection: 'close' } });

/** Said to the caller and logged when an embedding application's middleware read the body first. */
export const consumedBodyMessage =
  'the request body was read by other middleware before IdProo and left in a form IdProo cannot trust; mount IdProo before body parsers, or keep the raw body (express.raw or express.text)';

/**
 * The body a host framework read before IdProo, when it kept the exact bytes: a Buffer (express.raw)
 * or a string (express.text). A body parsed into an object is not used: the parser decided on
 * encoding, repetition and limits by its own rules. Undefined when the body is gone.
 */
function bodyLeftByHost(req: IncomingMessage): Buffer | undefined {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return undefined;
}

/**
 * Reads the whole body, refusing more than `limit` bytes without buffering them. Declared lengths
 * over the cap are refused before reading a byte. Undefined when another middleware already read
 * the body and kept nothing usable: waiting for stream events that will never come would hang.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> | undefined {
  if (req.readableEnded || req.readableDidRead) {
    const body = bodyLeftByHost(req);
    if (body === undefined) return undefined;
    return body.length > limit ? Promise.reject(tooLarge(limit)) : Promise.resolve(body);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    // A client that hangs up mid-upload is the client's failure, not the server's: no 500, no error log.
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        reject(new OAuthError('invalid_request', 'the request body was not received completely', { detail: String(error) }));
      }
    });
  });
}
