import type { IncomingMessage } from 'node:http';
import { OAuthError } from '../errors/oauth-error.ts';

/** Default cap on request bodies: generous for OAuth forms (a JWT assertion is a few KiB). */
export const defaultMaxBodyBytes = 64 * 1024;

// Connection: close makes Node drop the socket after the answer instead of reading the rest of the body.
const tooLarge = (limit: number) =>
  new OAuthError('invalid_request', `the request body exceeds ${limit} bytes`, { status: 413, headers: { connection: 'close' } });

/**
 * Reads the whole body, refusing more than `limit` bytes without buffering them. Declared lengths
 * over the cap are refused before reading a byte.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  // An embedding framework may have read the body already (Express' body parsers keep a Buffer).
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (req.readableEnded && (Buffer.isBuffer(parsed) || typeof parsed === 'string')) return Promise.resolve(Buffer.from(parsed));
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
