import { createPrivateKey, type KeyObject, type webcrypto } from 'node:crypto';
// jose's subpath entry points: the package index loads every JOSE operation (~8 MB of RSS at idle).
import type { JWK, JWTVerifyGetKey } from 'jose';
import { calculateJwkThumbprint } from 'jose/jwk/thumbprint';
import { createLocalJWKSet } from 'jose/jwks/local';
import { exportJWK } from 'jose/key/export';
import { generateKeyPair } from 'jose/key/generate/keypair';
import type { SigningAlgorithm } from '../config/schema.ts';
import type { KeyStore, StoredSigningKey } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import type { DataProtector } from './data-protection.ts';

export interface KeyManagementOptions {
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  /** Seconds a key signs before its successor takes over. */
  readonly rotationInterval: number;
  /** Seconds a new key is published before it signs (clients refresh their JWKS caches meanwhile). */
  readonly propagationTime: number;
  /** Seconds a key stays published after it stopped signing. */
  readonly retentionDuration: number;
  /** Seconds between re-reads of the key store (other nodes may have added keys). */
  readonly keyCacheDuration: number;
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly createdAt: number;
  /** A node:crypto key: access tokens are signed with node:crypto's sign (docs/decisions/0006). */
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

interface KeyState {
  readonly signing: ReadonlyMap<SigningAlgorithm, SigningKey>;
  readonly jwks: { keys: JWK[] };
  readonly jwksBody: Buffer;
  readonly verifyKey: JWTVerifyGetKey;
  /** Epoch ms at which the state must be recomputed. */
  readonly validUntil: number;
}

const publicMembers = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/**
 * Automatic signing-key management in the manner of Duende's: a new key is published `propagationTime`
 * before it signs; the old one stays in the JWKS until `retentionDuration` after it stopped signing
 * (never less than the longest token lifetime, so every token it signed can still be verified);
 * then it is deleted. One active key per configured algorithm (OIDC Core §10.1.1).
 */
export class KeyManager {
  readonly #store: KeyStore;
  readonly #protector: DataProtector;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: KeyManagementOptions;
  readonly #retentionMs: number;
  #state: KeyState | undefined;
  #refreshing: Promise<KeyState> | undefined;

  constructor(deps: { store: KeyStore; protector: DataProtector; clock: Clock; logger: Logger; options: KeyManagementOptions; maxTokenLifetime: number }) {
    this.#store = deps.store;
    this.#protector = deps.protector;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#options = deps.options;
    this.#retentionMs = Math.max(deps.options.retentionDuration, deps.maxTokenLifetime) * 1000;
  }

  get defaultAlgorithm(): SigningAlgorithm {
    return this.#options.signingAlgorithms[0]!;
  }

  get algorithms(): readonly SigningAlgorithm[] {
    return this.#options.signingAlgorithms;
  }

  /** The key that signs with `alg` now. Cheap on the hot path: a clock read and a map lookup. */
  async signingKey(alg: SigningAlgorithm = this.defaultAlgorithm): Promise<SigningKey> {
    const state = await this.current();
    const key = state.signing.get(alg);
    if (!key) throw new TypeError(`${alg} is not a configured signing algorithm`);
    return key;
  }

  /** The published key set (RFC 7517), serialized once per change. */
  async jwks(): Promise<{ body: Buffer; document: { keys: JWK[] } }> {
    const state = await this.current();
    return { body: state.jwksBody, document: state.jwks };
  }

  /** Key resolver over the published keys, for verifying tokens this server issued. */
  async verificationKeys(): Promise<JWTVerifyGetKey> {
    return (await this.current()).verifyKey;
  }

  current(): Promise<KeyState> | KeyState {
    const state = this.#state;
    if (state && this.#clock.now() < state.validUntil) return state;
    return this.refresh();
  }

  /** Re-reads the store, creates keys that are due, deletes retired ones and recomputes the state. */
  refresh(): Promise<KeyState> {
    this.#refreshing ??= this.#computeState().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #computeState(): Promise<KeyState> {
    const now = this.#clock.now();
    const rotationMs = this.#options.rotationInterval * 1000;
    const propagationMs = this.#options.propagationTime * 1000;
    const stored = await this.#store.listKeys();
    const live: StoredSigningKey[] = [];
    for (const record of stored) {
      if (now >= record.createdAt + rotationMs + this.#retentionMs) {
        await this.#store.removeKey(record.kid);
        this.#logger.info({ event: 'key.retired', kid: record.kid, alg: record.alg }, 'signing key retired');
      } else live.push(record);
    }

    const loaded: SigningKey[] = [];
    for (const record of live) {
      const key = await this.#open(record);
      if (key) loaded.push(key);
    }

    // Keys exist but none opens: the data key is wrong. Making new keys would silently invalidate every
    // token issued so far (and, with many nodes, split the key set), so refuse instead.
    if (live.length > 0 && loaded.length === 0) {
      throw new Error('no stored signing key can be decrypted: IDPROO_DATA_KEY is not the key they were stored with');
    }

    for (const alg of this.#options.signingAlgorithms) {
      const newest = loaded.filter((k) => k.alg === alg).sort((a, b) => b.createdAt - a.createdAt)[0];
      // A successor is created `propagationTime` before the newest key stops signing.
      if (!newest || now >= newest.createdAt + rotationMs - propagationMs) loaded.push(await this.#create(alg, now));
    }

    const signing = new Map<SigningAlgorithm, SigningKey>();
    for (const alg of this.#options.signingAlgorithms) {
      const active = loaded.filter((k) => k.alg === alg && now < k.createdAt + rotationMs).sort((a, b) => b.createdAt - a.createdAt);
      // Prefer the newest announced key; with none announced yet (first start, or after an outage
      // longer than the rotation interval) the newest key signs at once: no token predates it.
      signing.set(alg, active.find((k) => now >= k.createdAt + propagationMs) ?? active[0]!);
    }

    const transitions = loaded.flatMap((k) => [k.createdAt + propagationMs, k.createdAt + rotationMs - propagationMs, k.createdAt + rotationMs, k.createdAt + rotationMs + this.#retentionMs]);
    const validUntil = Math.min(now + this.#options.keyCacheDuration * 1000, ...transitions.filter((t) => t > now));

    // Signing keys first, so a client that takes the first key of the set takes the right one.
    const ordered = [...new Set([...signing.values(), ...loaded.sort((a, b) => b.createdAt - a.createdAt)])];
    const jwks = { keys: ordered.map((k) => k.publicJwk) };
    this.#state = { signing, jwks, jwksBody: Buffer.from(JSON.stringify(jwks)), verifyKey: createLocalJWKSet(jwks), validUntil };
    return this.#state;
  }

  // A key whose algorithm was dropped from the configuration is still opened and published until
  // retired, so the tokens it signed keep verifying; it just never signs again.
  async #open(record: StoredSigningKey): Promise<SigningKey | undefined> {
    try {
      const privateJwk = JSON.parse(this.#protector.unprotect(record.data, record.kid)) as JWK;
      return {
        kid: record.kid,
        alg: record.alg as SigningAlgorithm,
        createdAt: record.createdAt,
        privateKey: privateKeyObject(privateJwk, record.alg as SigningAlgorithm),
        publicJwk: toPublicJwk(privateJwk, record.kid, record.alg),
      };
    } catch (error) {
      this.#logger.error(
        { event: 'key.unreadable', kid: record.kid, err: (error as Error).message },
        'a stored signing key cannot be decrypted; is IDPROO_DATA_KEY the one it was stored with?',
      );
      return undefined;
    }
  }

  async #create(alg: SigningAlgorithm, now: number): Promise<SigningKey> {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    // RFC 7638 thumbprint: a kid that is unique and derived from the key itself.
    const kid = await calculateJwkThumbprint(privateJwk);
    await this.#store.addKey({ kid, alg, createdAt: now, data: this.#protector.protect(JSON.stringify(privateJwk), kid) });
    this.#logger.info({ event: 'key.created', kid, alg }, 'signing key created');
    return { kid, alg, createdAt: now, privateKey: privateKeyObject(privateJwk, alg), publicJwk: toPublicJwk(privateJwk, kid, alg) };
  }
}

const keyTypes: Record<SigningAlgorithm, string> = { RS256: 'rsa', PS256: 'rsa', ES256: 'ec/prime256v1', EdDSA: 'ed25519' };

/** The private key of a JWK, refused unless it suits the algorithm (as jose's importJWK would). */
function privateKeyObject(jwk: JWK, alg: SigningAlgorithm): KeyObject {
  const key = createPrivateKey({ key: jwk as webcrypto.JsonWebKey, format: 'jwk' });
  const type = key.asymmetricKeyType === 'ec' ? `ec/${key.asymmetricKeyDetails?.namedCurve}` : key.asymmetricKeyType;
  if (type !== keyTypes[alg]) throw new TypeError(`the stored key is not a ${alg} key`);
  return key;
}

function toPublicJwk(jwk: JWK, kid: string, alg: string): JWK {
  const out: JWK = {};
  for (const member of publicMembers) if (jwk[member] !== undefined) out[member] = jwk[member];
  return { ...out, kid, alg, use: 'sig' };
}
