import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { EventSink } from '../events/events.ts';

/** Rows removed per store call: one short write transaction each. */
export const cleanupBatchSize = 1000;

/**
 * Removes expired grants and revocation entries in bounded batches, so the operational store does not
 * grow without end. Only expired rows go: the store's removeExpired* never touch a live grant. Between
 * batches the event loop gets a turn: node:sqlite runs each batch synchronously, so a backlog of expired
 * rows removed in one go would hold every request back until the last batch. Stops between batches
 * once `signal` aborts.
 */
export async function removeExpired(stores: Pick<Stores, 'grants' | 'revocations'>, clock: Clock, signal?: AbortSignal): Promise<number> {
  let removed = 0;
  for (;;) {
    const now = clock.now();
    const grants = await stores.grants.removeExpiredGrants(now, cleanupBatchSize);
    const revocations = await stores.revocations.removeExpiredRevocations(now, cleanupBatchSize);
    removed += grants + revocations;
    // A short batch means nothing expired is left (as of `now`).
    if ((grants < cleanupBatchSize && revocations < cleanupBatchSize) || signal?.aborted) return removed;
    await nextTurn();
  }
}

/**
 * Runs removeExpired every `intervalMs` until stopped; the timer never keeps the process alive. The
 * returned stop() resolves once a pass in progress has finished its batch, so the stores can be closed.
 */
export function scheduleCleanup(stores: Pick<Stores, 'grants' | 'revocations'>, clock: Clock, events: EventSink, intervalMs: number): () => Promise<void> {
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
