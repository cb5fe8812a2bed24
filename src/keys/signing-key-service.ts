import { createPrivateKey, type KeyObject, type webcrypto } from 'node:crypto';
// jose's subpath entry points: the package index loads every JOSE operation (~8 MB of RSS at idle).
import type { JWK, JWTVerifyGetKey } from 'jose';
import { calculateJwkThumbprint } from 'jose/jwk/thumbprint';
import { exportJWK } from 'jose/key/export';
import { generateKeyPair } from 'jose/key/generate/keypair';
import type { SigningAlgorithm } from '../config/schema.ts';
import type { ClientStore, SigningKeyStore, StoredSigningKey } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { EventSink } from '../events/events.ts';
import type { DataProtector } from './data-protection.ts';
import { keyStateAt, type KeyState, type RotationTimes, type SigningKey } from './key-state.ts';

export type { SigningKey } from './key-state.ts';

/** The `keyManagement` section of the configuration, in seconds. */
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

/** The JWKS document (RFC 7517 §5) and the exact bytes the JWKS endpoint serves. */
export interface PublishedKeySet {
  readonly body: Buffer;
  readonly document: { readonly keys: readonly JWK[] };
}

export interface SigningKeyServiceDependencies {
  readonly store: SigningKeyStore;
  /** Read at each refresh: a retired key stays published as long as any client's tokens live. */
  readonly clients: Pick<ClientStore, 'listClients'>;
  readonly protector: DataProtector;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly options: KeyManagementOptions;
}

const publicMembers = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
// After a failed read of the key store: retry after 1 s, doubling up to a minute.
const firstRetryMs = 1000;
const maxRetryMs = 60_000;

/**
 * Automatic signing-key management in the manner of Duende's: a new key is published `propagationTime`
 * before it signs; the old one stays in the JWKS until `retentionDuration` after it stopped signing
 * (never less than the longest access-token lifetime of any client, so every token it signed can still
 * be verified); then it is deleted. One active key per configured algorithm (OIDC Core §10.1.1).
 *
 * The service decides which keys exist and which one signs; the `SigningKeyStore` it is given only
 * keeps the encrypted records. A failed read of the store is not an outage: the keys read last keep
 * signing until their rotation period ends, and the read is retried with a backoff.
 */
export class SigningKeyService {
  readonly #store: SigningKeyStore;
  readonly #clients: Pick<ClientStore, 'listClients'>;
  readonly #protector: DataProtector;
  readonly #clock: Clock;
  readonly #events: EventSink;
  readonly #options: KeyManagementOptions;
  /** The keys of the last good read, and the rotation times that read computed. */
  #last: { readonly keys: readonly SigningKey[]; readonly times: RotationTimes } | undefined;
  #state: KeyState | undefined;
  #refreshing: Promise<KeyState> | undefined;
  #failures = 0;
  #reportedUnreadable = '';

  constructor(deps: SigningKeyServiceDependencies) {
    this.#store = deps.store;
    this.#clients = deps.clients;
    this.#protector = deps.protector;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#options = deps.options;
  }

  get defaultAlgorithm(): SigningAlgorithm {
    return this.#options.signingAlgorithms[0]!;
  }

  get algorithms(): readonly SigningAlgorithm[] {
    return this.#options.signingAlgorithms;
  }

  /**
   * The key that signs with `alg` now. Cheap on the hot path: a clock read and a map lookup. Rejects
   * only when no key read from the store may sign any more and the store cannot be read.
   */
  async signingKey(alg: SigningAlgorithm = this.defaultAlgorithm): Promise<SigningKey> {
    const state = await this.#current();
    const key = state.signing.get(alg);
    if (key) return key;
    if (!this.algorithms.includes(alg)) throw new TypeError(`${alg} is not a configured signing algorithm`);
    throw new Error(
      `no ${alg} signing key may sign now: the last one read from the key store reached the end of its rotation interval, ` +
        'and the key store cannot be read to create its successor (see key.refresh_failed in the log)',
    );
  }

  /** The published key set (RFC 7517), serialized once per change. */
  async jwks(): Promise<PublishedKeySet> {
    const state = await this.#current();
    return { body: state.jwksBody, document: state.jwks };
  }

  /** Key resolver over the published keys, for verifying tokens this server issued. */
  async verificationKeys(): Promise<JWTVerifyGetKey> {
    return (await this.#current()).verifyKey;
  }

  /**
   * Reads the store now, creates keys that are due and deletes retired ones. Rejects only when nothing
   * was read before (at start): later failures are logged and the keys read last stay in use.
   */
  async refresh(): Promise<void> {
    await this.#refresh();
  }

  #current(): Promise<KeyState> | KeyState {
    const state = this.#state;
    if (state && this.#clock.now() < state.validUntil) return state;
    return this.#refresh();
  }

  #refresh(): Promise<KeyState> {
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #load(): Promise<KeyState> {
    const now = this.#clock.now();
    try {
      this.#last = await this.#readStore(now);
      this.#failures = 0;
      this.#state = keyStateAt(now, this.#last.keys, this.algorithms, this.#last.times, now + this.#options.keyCacheDuration * 1000);
    } catch (error) {
      if (!this.#last) throw error;
      const retryMs = Math.min(firstRetryMs * 2 ** this.#failures++, maxRetryMs, this.#options.keyCacheDuration * 1000);
      this.#events.emit({ type: 'key.refresh_failed', err: error, retryInMs: retryMs });
      this.#state = keyStateAt(now, this.#last.keys, this.algorithms, this.#last.times, now + retryMs);
    }
    return this.#state;
  }

  async #readStore(now: number): Promise<{ keys: SigningKey[]; times: RotationTimes }> {
    const [stored, clients] = await Promise.all([this.#store.listKeys(), this.#clients.listClients()]);
    const times: RotationTimes = {
      rotationMs: this.#options.rotationInterval * 1000,
      propagationMs: this.#options.propagationTime * 1000,
      retentionMs: clients.reduce((longest, c) => Math.max(longest, c.accessTokenLifetime), this.#options.retentionDuration) * 1000,
    };
    const live: StoredSigningKey[] = [];
    for (const record of stored) {
      if (now >= record.createdAt + times.rotationMs + times.retentionMs) {
        await this.#store.removeKey(record.kid);
        this.#events.emit({ type: 'key.retired', kid: record.kid, alg: record.alg });
      } else live.push(record);
    }

    const keys: SigningKey[] = [];
    const unreadable: { kid: string; reason: string }[] = [];
    for (const record of live) {
      const opened = await this.#open(record);
      if ('reason' in opened) unreadable.push(opened);
      else keys.push(opened);
    }
    // Keys exist but none opens: the data key is wrong. Making new keys would silently invalidate every
    // token issued so far (and, with many nodes, split the key set), so refuse instead.
    if (live.length > 0 && keys.length === 0) {
      throw new Error(
        `no stored signing key can be decrypted (${unreadable.map((u) => u.kid).join(', ')}): IDPROO_DATA_KEY is not the key they were stored with`,
      );
    }
    this.#reportUnreadable(unreadable, keys);

    for (const alg of this.algorithms) {
      const newest = keys.filter((k) => k.alg === alg).sort((a, b) => b.createdAt - a.createdAt)[0];
      // A successor is created `propagationTime` before the newest key stops signing.
      if (!newest || now >= newest.createdAt + times.rotationMs - times.propagationMs) keys.push(await this.#create(alg, now));
    }
    return { keys, times };
  }

  // A partial key set is served, but never silently: the tokens the missing keys signed will not verify.
  // Said once per set of unreadable kids, not at every refresh.
  #reportUnreadable(unreadable: readonly { kid: string; reason: string }[], readable: readonly SigningKey[]): void {
    const kids = unreadable.map((u) => u.kid).join(', ');
    if (kids === this.#reportedUnreadable) return;
    this.#reportedUnreadable = kids;
    if (unreadable.length === 0) return;
    this.#events.emit({ type: 'key.unreadable', unreadable, published: readable.map((k) => k.kid) });
  }

  // A key whose algorithm was dropped from the configuration is still opened and published until
  // retired, so the tokens it signed keep verifying; it just never signs again.
  async #open(record: StoredSigningKey): Promise<SigningKey | { kid: string; reason: string }> {
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
      return { kid: record.kid, reason: (error as Error).message };
    }
  }

  async #create(alg: SigningAlgorithm, now: number): Promise<SigningKey> {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    // RFC 7638 thumbprint: a kid that is unique and derived from the key itself.
    const kid = await calculateJwkThumbprint(privateJwk);
    await this.#store.addKey({ kid, alg, createdAt: now, data: this.#protector.protect(JSON.stringify(privateJwk), kid) });
    this.#events.emit({ type: 'key.created', kid, alg });
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
