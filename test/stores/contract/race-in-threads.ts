import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { PersistedGrant, Stores } from '../../../src/stores/types.ts';

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
  const { module, name, args, shared, store, method, calls } = workerData;
  const stores = await (await import(module))[name](...args);
  const flags = new Int32Array(shared);
  const results = [];
  for (let round = 0; round < calls.length; round++) {
    Atomics.add(flags, 0, 1);
    const deadline = Date.now() + 10000;
    while (Atomics.load(flags, 1) <= round) if (Date.now() > deadline) throw new Error('the race was never released');
    results.push(await stores[store][method](...calls[round]));
  }
  await stores.close();
  parentPort.postMessage(results);
})();
`;

type Method<S extends keyof Stores> = {
  [M in keyof Stores[S]]: Stores[S][M] extends (...args: never[]) => Promise<unknown> ? M : never;
}[keyof Stores[S]];

type Call<S extends keyof Stores, M extends Method<S>> = Stores[S][M] extends (...args: infer A) => Promise<infer R> ? { args: A; result: R } : never;

export interface CallRace<S extends keyof Stores, M extends Method<S>> {
  readonly store: S;
  readonly method: M;
  readonly rounds: number;
  readonly threads: number;
  /** The arguments (structured-cloneable) `thread` calls the method with in `round`. */
  readonly argsOf: (round: number, thread: number) => Call<S, M>['args'];
}

/**
 * Races `threads` threads, each on its own connection, calling `stores[store][method]` once per round,
 * every thread released at the same instant on each round. Resolves with what each call resolved to,
 * as structured clones: `results[round][thread]`.
 */
export async function raceCallsInThreads<S extends keyof Stores, M extends Method<S>>(
  connection: ThreadConnection,
  race: CallRace<S, M>,
): Promise<Array<Array<Call<S, M>['result']>>> {
  const { store, method, rounds, threads, argsOf } = race;
  const shared = new SharedArrayBuffer(8);
  const flags = new Int32Array(shared);
  const workers = Array.from({ length: threads }, (_, thread) => {
    const calls = Array.from({ length: rounds }, (_, round) => argsOf(round, thread));
    return new Worker(workerSource, { eval: true, workerData: { ...connection, args: [...connection.args], shared, store, method, calls } });
  });
  let failure: unknown;
  const results = workers.map((worker) =>
    once(worker, 'message').then(
      ([outcomes]) => outcomes as Array<Call<S, M>['result']>,
      (error: unknown) => {
        failure ??= error;
        throw error;
      },
    ),
  );
  results.forEach((result) => result.catch(() => {}));
  try {
    for (let round = 0; round < rounds; round++) {
      // A thread that dies must fail the race, not leave this loop waiting forever.
      while (Atomics.load(flags, 0) < threads * (round + 1)) {
        if (failure !== undefined) throw failure;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      Atomics.store(flags, 1, round + 1);
    }
    const perThread = await Promise.all(results);
    return Array.from({ length: rounds }, (_, round) => perThread.map((outcomes) => outcomes[round]!));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

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
  const results =
    successorOf === undefined
      ? await raceCallsInThreads<'grants', 'consumeGrant'>(connection, { store: 'grants', method: 'consumeGrant', rounds: keys.length, threads, argsOf: (round) => [keys[round]!, now] })
      : await raceCallsInThreads<'grants', 'rotateGrant'>(connection, {
          store: 'grants',
          method: 'rotateGrant',
          rounds: keys.length,
          threads,
          argsOf: (round, thread) => [keys[round]!, successorOf(keys[round]!, thread), now],
        });
  return results.map((perThread) => perThread.map((result) => result.outcome));
}
