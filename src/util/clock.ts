/** Time source; injectable so tests can move time (key rotation, expiry). Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
