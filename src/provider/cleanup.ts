import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { EventSink } from '../events/events.ts';

/** Rows removed per store call: one short write transaction each. */
export const cleanupBatchSize = 1000;

/** The stores that keep rows only until they expire. */
export type ExpiringStores = Pick<Stores, 'grants' | 'revocations' | 'sessions' | 'interactions' | 'consents' | 'signInAttempts'>;

type RemoveBatch = (stores: ExpiringStores, now: number, limit: number) => Promise<number>;

// Each call removes only rows expired at `now`. Interactions go by expiry, consumed or not: a consumed
// one stays until then, so that an answer sent back twice is still recognised as a replay.
const removeBatch: readonly RemoveBatch[] = [
  (stores, now, limit) => stores.grants.removeExpiredGrants(now, limit),
  (stores, now, limit) => stores.revocations.removeExpiredRevocations(now, limit),
  (stores, now, limit) => stores.sessions.removeExpiredSessions(now, limit),
  (stores, now, limit) => stores.interactions.removeExpiredInteractions(now, limit),
  (stores, now, limit) => stores.consents.removeExpiredConsents(now, limit),
  (stores, now, limit) => stores.signInAttempts.removeExpiredAttempts(now, limit),
];

/**
 * Removes expired grants, revocation entries, sessions, interactions, consents and sign-in attempt
 * counts in bounded batches, so the operational store does not grow without end. Only expired rows go:
 * the stores' removeExpired* never touch a live one. Every batch after the first waits for a turn of the
 * event loop: node:sqlite runs each batch synchronously, so a backlog of expired rows removed in one go
 * would hold every request back until the last batch. Each pass calls every store that still had a full
 * batch; a short batch means that store has nothing expired left (as of the pass's `now`). Stops between
 * batches once `signal` aborts.
 */
export async function removeExpired(stores: ExpiringStores, clock: Clock, signal?: AbortSignal): Promise<number> {
  let removed = 0;
  let pending = removeBatch;
  let first = true;
  while (pending.length > 0) {
    const now = clock.now();
    const full: RemoveBatch[] = [];
    for (const remove of pending) {
      if (!first) {
        await nextTurn();
        if (signal?.aborted) return removed;
      }
      first = false;
      const count = await remove(stores, now, cleanupBatchSize);
      removed += count;
      if (count >= cleanupBatchSize) full.push(remove);
    }
    pending = full;
  }
  return removed;
}

/**
 * Runs removeExpired every `intervalMs` until stopped; the timer never keeps the process alive. The
 * returned stop() resolves once a pass in progress has finished its batch, so the stores can be closed.
 */
export function scheduleCleanup(stores: ExpiringStores, clock: Clock, events: EventSink, intervalMs: number): () => Promise<void> {
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= removeExpired(stores, clock, stopping.signal)
      .then((removed) => {
        if (removed > 0) events.emit({ type: 'cleanup.completed', removed });
      })
      .catch((error: unknown) => events.emit({ type: 'cleanup.failed', err: error }))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
