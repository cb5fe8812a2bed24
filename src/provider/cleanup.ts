import type { Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

const batchSize = 1000;

/**
 * Removes expired grants and revocation entries in bounded batches, so the operational store does not
 * grow without end. Only expired rows go: the store's removeExpired* never touch a live grant.
 */
export async function removeExpired(stores: Pick<Stores, 'grants' | 'revocations'>, clock: Clock): Promise<number> {
  let removed = 0;
  for (;;) {
    const now = clock.now();
    const count = (await stores.grants.removeExpiredGrants(now, batchSize)) + (await stores.revocations.removeExpiredRevocations(now, batchSize));
    removed += count;
    if (count === 0) return removed;
  }
}

/** Runs removeExpired every `intervalMs` until stopped; the timer never keeps the process alive. */
export function scheduleCleanup(stores: Pick<Stores, 'grants' | 'revocations'>, clock: Clock, logger: Logger, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    removeExpired(stores, clock)
      .then((removed) => {
        if (removed > 0) logger.debug({ event: 'cleanup', removed }, 'expired grants removed');
      })
      .catch((error: unknown) => logger.error({ event: 'cleanup.failed', err: error }, 'removing expired grants failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
