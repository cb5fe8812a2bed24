import type { KeyObject } from 'node:crypto';
// jose's subpath entry points: the package index loads every JOSE operation (~8 MB of RSS at idle).
import type { JWK, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet } from 'jose/jwks/local';
import type { SigningAlgorithm } from '../config/schema.ts';

/** A key this server signs with: the private half stays in memory, the public half is published. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly createdAt: number;
  /** A node:crypto key: access tokens are signed with node:crypto's sign (docs/decisions/0008). */
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

/** Durations of the rotation, in milliseconds (docs/decisions/0004-keys-and-secrets.md). */
export interface RotationTimes {
  /** R: how long a key signs. */
  readonly rotationMs: number;
  /** P: how long a key is published before it signs. */
  readonly propagationMs: number;
  /** T: how long a key stays published after it stopped signing. */
  readonly retentionMs: number;
}

export interface KeyState {
  /** The key that signs per algorithm; an algorithm is missing only when none of the keys may sign now. */
  readonly signing: ReadonlyMap<SigningAlgorithm, SigningKey>;
  readonly jwks: { readonly keys: readonly JWK[] };
  readonly jwksBody: Buffer;
  readonly verifyKey: JWTVerifyGetKey;
  /** Epoch ms at which the state must be recomputed. */
  readonly validUntil: number;
}

/**
 * What `keys` mean at `now`, with no store access: which key signs per algorithm, which are published,
 * and when that next changes. A key created at c is published until c + R + T and may sign from c + P
 * (at once when no older key may sign: nothing could have cached a key set yet) until c + R. The state
 * is recomputed at the next of those instants, or at `refreshBy` if that comes first.
 */
export function keyStateAt(now: number, keys: readonly SigningKey[], algorithms: readonly SigningAlgorithm[], times: RotationTimes, refreshBy: number): KeyState {
  const { rotationMs, propagationMs, retentionMs } = times;
  const published = keys.filter((k) => now < k.createdAt + rotationMs + retentionMs).sort((a, b) => b.createdAt - a.createdAt);
  const signing = new Map<SigningAlgorithm, SigningKey>();
  for (const alg of algorithms) {
    const active = published.filter((k) => k.alg === alg && now < k.createdAt + rotationMs);
    // Prefer the newest announced key; with none announced yet (first start, or after an outage
    // longer than the rotation interval) the newest key signs at once.
    const key = active.find((k) => now >= k.createdAt + propagationMs) ?? active[0];
    if (key) signing.set(alg, key);
  }

  const transitions = keys.flatMap((k) => [k.createdAt + propagationMs, k.createdAt + rotationMs - propagationMs, k.createdAt + rotationMs, k.createdAt + rotationMs + retentionMs]);
  const validUntil = Math.min(refreshBy, ...transitions.filter((t) => t > now));

  // Signing keys first, so a client that takes the first key of the set takes the right one.
  const ordered = [...new Set([...signing.values(), ...published])];
  const jwks = { keys: ordered.map((k) => k.publicJwk) };
  return { signing, jwks, jwksBody: Buffer.from(JSON.stringify(jwks)), verifyKey: createLocalJWKSet(jwks), validUntil };
}
