import { StoreUnavailableError } from '../errors.ts';

// Socket errors of a server that is down, restarting or out of reach (Node's system error codes).
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// https://www.postgresql.org/docs/current/errcodes-appendix.html: class 08 is connection_exception;
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or in recovery);
// 53300 too_many_connections.
const sqlStates = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres reports a lost or timed-out connection with a bare Error and no code.
const messages = [
  'timeout exceeded when trying to connect',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
];

/** Whether `error` says the database is out of reach now, rather than that a statement or its data is wrong. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (socketCodes.has(code) || sqlStates.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return messages.includes(error.message);
}

/**
 * Runs a database call, turning an unreachable database into StoreUnavailableError (the cause keeps
 * the original for the log; the message names no host or credential).
 */
export async function reachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isUnreachable(error)) throw new StoreUnavailableError(`the PostgreSQL database is unavailable: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
