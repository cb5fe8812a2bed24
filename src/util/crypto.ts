import { hash, randomFillSync, timingSafeEqual } from 'node:crypto';

// Random bytes are drawn from the CSPRNG in 4 KiB blocks: one call per token costs a few microseconds
// of fixed overhead on the token endpoint, a slice of a filled block almost nothing. Each byte is
// handed out once.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** A random handle of `bytes` bytes, base64url; 32 bytes = 256 bits (RFC 6749 §10.10 asks ≥ 128). */
export function randomHandle(bytes = 32): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const handle = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return handle;
}

/** The key under which a handle is stored: its SHA-256, so a leaked database yields no usable token. */
export const handleKey = (handle: string): string => hash('sha256', handle, 'base64url');

/** Constant-time equality of two byte strings of possibly different length. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    // Compare anyway so the time taken does not reveal the length mismatch.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
