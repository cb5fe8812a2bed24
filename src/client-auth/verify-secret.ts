import { createHash } from 'node:crypto';
import type { StoredSecret } from '../stores/types.ts';
import { constantTimeEqual } from '../util/crypto.ts';

// Compared against when the caller is unknown, so an unknown id costs the same as a wrong secret.
const decoy: StoredSecret = { type: 'sha256', hash: createHash('sha256').update('decoy').digest('base64') };

/** True when `presented` matches an unexpired stored secret; every comparison is constant-time. */
export function verifySecret(presented: string, secrets: readonly StoredSecret[] | undefined, now: number): boolean {
  const digests: Partial<Record<StoredSecret['type'], Buffer>> = {};
  let matched = false;
  for (const secret of secrets && secrets.length > 0 ? secrets : [decoy]) {
    const digest = (digests[secret.type] ??= createHash(secret.type).update(presented, 'utf8').digest());
    const equal = constantTimeEqual(digest, Buffer.from(secret.hash, 'base64'));
    if (equal && secret !== decoy && (secret.expiration === undefined || now < secret.expiration)) matched = true;
  }
  return matched;
}
