import type { Logger } from '../../src/util/logger.ts';

export interface LogEntry {
  readonly level: keyof Logger;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

/**
 * A logger that keeps what is logged at `levels` (every level unless told), so a test can read what the
 * provider said, or show that a request was not treated as a server fault.
 */
export function recordingLogger(levels: readonly (keyof Logger)[] = ['debug', 'info', 'warn', 'error']): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: keyof Logger) =>
    levels.includes(level) ? (obj: object, msg?: string) => void entries.push({ level, obj: obj as Record<string, unknown>, msg }) : () => {};
  return { entries, logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } };
}
