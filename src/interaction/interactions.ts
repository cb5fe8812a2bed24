import type { EndpointRequest } from '../endpoints/types.ts';
import type { Interaction, Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import { constantTimeEqual, handleKey, randomHandle } from '../util/crypto.ts';
import { setCookie } from '../util/set-cookie.ts';
import type { CookieNames } from '../sessions/cookies.ts';
import type { InteractionData } from './interaction-data.ts';

/** Why an interaction id does not lead to a pending request. */
export type InteractionProblem = 'unknown' | 'expired' | 'replayed' | 'other_browser';

export class InteractionError extends Error {
  readonly problem: InteractionProblem;
  /** The stored interaction, when there is one: its client gets the user's way back. */
  readonly data: InteractionData | undefined;
  constructor(problem: InteractionProblem, data?: InteractionData) {
    super(`interaction ${problem.replace('_', ' ')}`);
    this.name = 'InteractionError';
    this.problem = problem;
    this.data = data;
  }
}

export interface LoadedInteraction<D extends InteractionData = InteractionData> {
  readonly id: string;
  readonly key: string;
  readonly data: D;
  readonly expiresAt: number;
}

export interface InteractionDeps {
  readonly stores: Pick<Stores, 'interactions'>;
  readonly clock: Clock;
  readonly cookies: CookieNames;
  readonly secure: boolean;
  /** Seconds. */
  readonly lifetime: number;
}

const idSyntax = /^[\w-]{20,64}$/;

/**
 * Pending interactions (sign-in, consent, sign-out confirmation). The id travels in the URL; the record
 * is stored under its hash and bound to the browser by a cookie, so a link copied to another browser, or
 * planted in a victim's, leads nowhere. Each tab's request has its own id; the binding cookie is shared.
 */
export class Interactions {
  readonly #deps: InteractionDeps;

  constructor(deps: InteractionDeps) {
    this.#deps = deps;
  }

  /** Stores a new interaction; returns its id and the binding cookie to set if the browser has none. */
  async start(data: InteractionData, clientId: string, request: Pick<EndpointRequest, 'cookie'>): Promise<{ id: string; cookies: string[] }> {
    const { stores, clock, cookies, secure, lifetime } = this.#deps;
    let browser = request.cookie(cookies.browser);
    const fresh = browser === undefined || !idSyntax.test(browser);
    if (fresh) browser = randomHandle(32);
    const id = randomHandle(32);
    const now = clock.now();
    await stores.interactions.createInteraction({
      key: handleKey(id),
      browserKey: handleKey(browser!),
      clientId,
      createdAt: now,
      expiresAt: now + lifetime * 1000,
      data: JSON.stringify(data),
    });
    return { id, cookies: fresh ? [setCookie(cookies.browser, browser!, { secure, sameSite: 'Lax' })] : [] };
  }

  /** The pending interaction `id`, if it is live and this browser started it; else an InteractionError. */
  async load(id: string | undefined, request: Pick<EndpointRequest, 'cookie'>): Promise<LoadedInteraction> {
    if (id === undefined || !idSyntax.test(id)) throw new InteractionError('unknown');
    const key = handleKey(id);
    const stored = await this.#deps.stores.interactions.findInteraction(key);
    if (stored === undefined) throw new InteractionError('unknown');
    const data = JSON.parse(stored.data) as InteractionData;
    if (!this.#sameBrowser(stored, request)) throw new InteractionError('other_browser', data);
    if (stored.consumedAt !== undefined) throw new InteractionError('replayed', data);
    if (stored.expiresAt <= this.#deps.clock.now()) throw new InteractionError('expired', data);
    return { id, key, data, expiresAt: stored.expiresAt };
  }

  /** Saves the interaction's progress; an InteractionError if it was consumed or expired meanwhile. */
  async update(interaction: LoadedInteraction, data: InteractionData): Promise<LoadedInteraction> {
    const ok = await this.#deps.stores.interactions.updateInteraction(interaction.key, JSON.stringify(data), this.#deps.clock.now());
    if (!ok) throw new InteractionError('expired', interaction.data);
    return { ...interaction, data };
  }

  /** Ends the interaction; exactly one of concurrent calls succeeds, the others get an InteractionError. */
  async consume(interaction: LoadedInteraction): Promise<void> {
    const result = await this.#deps.stores.interactions.consumeInteraction(interaction.key, this.#deps.clock.now());
    if (result.outcome === 'consumed') return;
    throw new InteractionError(result.outcome === 'unknown' ? 'unknown' : result.outcome, interaction.data);
  }

  #sameBrowser(stored: Interaction, request: Pick<EndpointRequest, 'cookie'>): boolean {
    const browser = request.cookie(this.#deps.cookies.browser);
    if (browser === undefined) return false;
    return constantTimeEqual(Buffer.from(handleKey(browser)), Buffer.from(stored.browserKey));
  }
}

/** Constant-time comparison of a submitted CSRF token with the interaction's. */
export function csrfTokenMatches(submitted: string | undefined, expected: string): boolean {
  return submitted !== undefined && constantTimeEqual(Buffer.from(submitted), Buffer.from(expected));
}
