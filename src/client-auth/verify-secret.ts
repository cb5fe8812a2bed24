import { hash } from 'node:crypto';
import type { StoredSecret } from '../stores/types.ts';
import { constantTimeEqual } from '../util/crypto.ts';

// Compared against when the caller is unknown, so an unknown id costs the same as a wrong secret.
const decoy: StoredSecret = { type: 'sha256', hash: hash('sha256', 'decoy', 'base64') };

/** True when `presented` matches an unexpired stored secret; every comparison is constant-time. */
export function verifySecret(presented: string, secrets: readonly StoredSecret[] | undefined, now: number): boolean {
  const digests: Partial<Record<StoredSecret['type'], Buffer>> = {};
  let matched = false;
  for (const secret of secrets && secrets.length > 0 ? secrets : [decoy]) {
    // One-shot hash() to base64 costs a fraction of createHash(): no Hash object for the GC to finalize.
    const digest = (digests[secret.type] ??= Buffer.from(hash(secret.type, presented, 'base64'), 'base64'));
    const equal = constantTimeEqual(digest, Buffer.from(secret.hash, 'base64'));
    if (equal && secret !== decoy && (secret.expiration === undefined || now < secret.expiration)) matched = true;
  }
  return matched;
}
