import type { Stores } from '../stores/types.ts';
import { jsonResponse, noStore, type Endpoint } from './types.ts';

/** How long readiness waits for the stores before it answers 503: a probe must not hang with them. */
const readinessTimeoutMs = 2_000;

/** Liveness: the process serves requests. It asks nothing of the stores, so an outage does not get the process restarted. */
export const livenessEndpoint: Endpoint = () => jsonResponse({ status: 'ok' }, noStore);

/**
 * Readiness: the stores answer a trivial query within a short time, so a load balancer sends requests
 * only to instances that can serve them (200), and none to one whose database is out of reach (503).
 */
export function createReadinessEndpoint(stores: Pick<Stores, 'ping'>, timeoutMs = readinessTimeoutMs): Endpoint {
  return async () => ((await answersWithin(stores.ping(), timeoutMs)) ? jsonResponse({ status: 'ok' }, noStore) : jsonResponse({ status: 'unavailable' }, noStore, 503));
}

async function answersWithin(ping: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
