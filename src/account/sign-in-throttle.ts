import type { AuthenticationConfig } from '../config/schema.ts';
import type { Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Failed sign-ins counted per account and per client address in the store, so every node counts
 * together (OWASP ASVS V2.2.1; NIST SP 800-63B §5.2.2). An unknown username is counted like a known one,
 * so the lockout itself does not reveal which accounts exist; while locked, even the right password is
 * refused. A success clears the account's count, not the address's.
 */
export class SignInThrottle {
  readonly #stores: Pick<Stores, 'signInAttempts'>;
  readonly #clock: Clock;
  readonly #config: AuthenticationConfig;

  constructor(stores: Pick<Stores, 'signInAttempts'>, clock: Clock, config: AuthenticationConfig) {
    this.#stores = stores;
    this.#clock = clock;
    this.#config = config;
  }

  async check(username: string, address: string | undefined): Promise<ThrottleVerdict> {
    const now = this.#clock.now();
    const account = await this.#stores.signInAttempts.getAttempts(accountKey(username), now);
    const ip = address === undefined ? undefined : await this.#stores.signInAttempts.getAttempts(addressKey(address), now);
    const blocked = [
      account !== undefined && account.count >= this.#config.maxFailedAttemptsPerAccount ? account.expiresAt : 0,
      ip !== undefined && ip.count >= this.#config.maxFailedAttemptsPerIp ? ip.expiresAt : 0,
    ];
    const until = Math.max(...blocked);
    return until > now ? { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000) } : { allowed: true };
  }

  async failed(username: string, address: string | undefined): Promise<void> {
    const now = this.#clock.now();
    const window = this.#config.lockoutDuration * 1000;
    await this.#stores.signInAttempts.recordFailure(accountKey(username), now, window);
    if (address !== undefined) await this.#stores.signInAttempts.recordFailure(addressKey(address), now, window);
  }

  async succeeded(username: string): Promise<void> {
    await this.#stores.signInAttempts.resetAttempts(accountKey(username));
  }
}

// Case-folded so "Alice" and "alice" share one count however the user store compares names.
const accountKey = (username: string) => `account:${username.normalize('NFC').toLowerCase()}`;
const addressKey = (address: string) => `ip:${address}`;
