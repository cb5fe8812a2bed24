import { DataProtector } from '../../src/keys/data-protection.ts';
import { SigningKeyService, type KeyManagementOptions } from '../../src/keys/signing-key-service.ts';
import { createMemoryStores } from '../../src/stores/index.ts';
import type { ClientStore, SigningKeyStore } from '../../src/stores/types.ts';
import { createEventSink } from '../../src/events/log-events.ts';
import type { Logger } from '../../src/util/logger.ts';

export class TestClock {
  ms = Date.UTC(2026, 0, 1);
  now = () => this.ms;
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
}

export const day = 86400;
// Duende's defaults: rotate every 90 days, announce 14 days ahead, keep 14 days after.
export const duende: KeyManagementOptions = { signingAlgorithms: ['RS256'], rotationInterval: 90 * day, propagationTime: 14 * day, retentionDuration: 14 * day, keyCacheDuration: 3600 };

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function service(
  store: SigningKeyStore,
  clock: TestClock,
  options: Partial<KeyManagementOptions> = {},
  extra: { key?: Buffer; logger?: Logger; clients?: ClientStore } = {},
): SigningKeyService {
  return new SigningKeyService({
    store,
    clients: extra.clients ?? createMemoryStores().clients,
    protector: new DataProtector(extra.key ?? Buffer.alloc(32, 7)),
    clock,
    events: createEventSink(extra.logger ?? silent),
    options: { ...duende, ...options },
  });
}

export const kids = async (keys: SigningKeyService) => (await keys.jwks()).document.keys.map((k) => k.kid);

/** A real key store that fails every call while `failing` is set, and counts the reads. */
export function failingStore(store: SigningKeyStore = createMemoryStores().signingKeys) {
  const control = { failing: false, reads: 0 };
  const fail = () => Promise.reject(new Error('database is locked'));
  const wrapped: SigningKeyStore = {
    listKeys: () => (control.reads++, control.failing ? fail() : store.listKeys()),
    addKey: (key) => (control.failing ? fail() : store.addKey(key)),
    removeKey: (kid) => (control.failing ? fail() : store.removeKey(kid)),
  };
  return { store: wrapped, control };
}

export { recordingLogger, type LogEntry } from '../support/logger.ts';
