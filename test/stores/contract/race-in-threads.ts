import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { PersistedGrant } from '../../../src/stores/types.ts';

/**
 * How another thread opens a second connection to the same data: it imports `module` and calls its
 * export `name` with `args` (structured-cloneable), which returns Stores.
 */
export interface ThreadConnection {
  readonly module: string;
  readonly name: string;
  readonly args: readonly unknown[];
}

// Slot 0 counts threads ready for the current round; slot 1 is the number of rounds released. Threads
// spin rather than sleep on the release, so they leave the barrier within microseconds of each other:
// woken one by one from Atomics.wait they would start far enough apart to consume in turn.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { module, name, args, shared, keys, now, successors } = workerData;
  const stores = await (await import(module))[name](...args);
  const flags = new Int32Array(shared);
  const outcomes = [];
  for (let round = 0; round < keys.length; round++) {
    Atomics.add(flags, 0, 1);
    const deadline = Date.now() + 10000;
    while (Atomics.load(flags, 1) <= round) if (Date.now() > deadline) throw new Error('the race was never released');
    const result = successors === undefined
      ? await stores.grants.consumeGrant(keys[round], now)
      : await stores.grants.rotateGrant(keys[round], successors[round], now);
    outcomes.push(result.outcome);
  }
  await stores.close();
  parentPort.postMessage(outcomes);
})();
`;

export interface Race {
  /** One round per key, every thread released at the same instant on it. */
  readonly keys: readonly string[];
  readonly now: number;
  readonly threads: number;
  /** Given, each thread rotates each key to its own successor instead of consuming it. */
  readonly successorOf?: (key: string, thread: number) => PersistedGrant;
}

/**
 * Races `threads` threads, each on its own connection, to consume (or rotate) each of `keys` in turn.
 * Resolves with the outcome each thread saw, per key: `outcomes[round][thread]`.
 */
export async function raceInThreads(connection: ThreadConnection, race: Race): Promise<string[][]> {
  const { keys, now, threads, successorOf } = race;
  const shared = new SharedArrayBuffer(8);
  const flags = new Int32Array(shared);
  const workers = Array.from(
    { length: threads },
    (_, thread) => {
      const successors = successorOf && keys.map((key) => successorOf(key, thread));
      return new Worker(workerSource, { eval: true, workerData: { ...connection, args: [...connection.args], shared, keys: [...keys], now, successors } });
    },
  );
  let failure: unknown;
  const results = workers.map((worker) =>
    once(worker, 'message').then(
      ([outcomes]) => outcomes as string[],
      (error: unknown) => {
        failure ??= error;
        throw error;
      },
    ),
  );
  results.forEach((result) => result.catch(() => {}));
  try {
    for (let round = 0; round < keys.length; round++) {
      // A thread that dies must fail the race, not leave this loop waiting forever.
      while (Atomics.load(flags, 0) < threads * (round + 1)) {
        if (failure !== undefined) throw failure;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      Atomics.store(flags, 1, round + 1);
    }
    const perThread = await Promise.all(results);
    return keys.map((_, round) => perThread.map((outcomes) => outcomes[round] ?? 'missing'));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
