/**
 * Thrown by every backend when an insert collides with an existing id (grant key, kid, client id…),
 * so callers never have to recognise a backend's own constraint error.
 */
export class DuplicateKeyError extends Error {
  readonly kind: string;
  readonly key: string;
  constructor(kind: string, key: string, options?: ErrorOptions) {
    super(`${kind} "${key}" already exists`, options);
    this.name = 'DuplicateKeyError';
    this.kind = kind;
    this.key = key;
  }
}

const quoted = (keys: readonly string[]) => keys.map((key) => `"${key}"`).join(', ');

/**
 * The configuration file lists entries that were written through the store (an admin API, dynamic
 * registration), which the file may not take over: its next start would silently replace, say, a
 * registered client's secrets. Thrown by `syncConfigured…`, so it stops the start.
 */
export class ConfigurationConflictError extends Error {
  readonly kind: string;
  readonly keys: readonly string[];
  constructor(kind: string, keys: readonly string[], remove: string) {
    const one = keys.length === 1;
    super(
      `the configuration file lists ${kind} ${quoted(keys)}, which ${one ? 'was' : 'were'} created through the store, not by the file, ` +
        `and the file never takes over such entries: rename ${one ? 'it' : 'them'} in the configuration file, ` +
        `or, if the file should own ${one ? 'it' : 'them'}, remove the stored ${kind} (${remove}) and start again`,
    );
    this.name = 'ConfigurationConflictError';
    this.kind = kind;
    this.keys = keys;
  }
}

/** A write through the store aimed at an entry the configuration file owns, which its next start would undo. */
export class ConfiguredEntryError extends Error {
  readonly kind: string;
  readonly key: string;
  constructor(kind: string, key: string) {
    super(`${kind} "${key}" comes from the configuration file, which rewrites it at every start; change or remove it in the file instead`);
    this.name = 'ConfiguredEntryError';
    this.kind = kind;
    this.key = key;
  }
}

/**
 * Another process (or another open in this one) serves the SQLite file. node:sqlite waits for a busy
 * database inside a synchronous call, so two processes writing one file would stall each other's event
 * loop for up to the busy timeout; one process per file is refused up front instead.
 */
export class DatabaseInUseError extends Error {
  readonly path: string;
  constructor(path: string, lockFile: string, options?: ErrorOptions) {
    super(
      `the SQLite database ${path} is in use by another IdProo process (it holds the lock on ${lockFile}); ` +
        'a SQLite file serves one process, so stop the other one first, or, to run several processes on one database, use PostgreSQL (--db postgres://…)',
      options,
    );
    this.name = 'DatabaseInUseError';
    this.path = path;
  }
}

/**
 * The database behind the stores cannot be reached right now (connection refused or lost, a connect
 * timeout, the server shutting down): the call may succeed if repeated later. Backends translate their
 * own connection errors into this, so callers answer "try again" instead of reporting a bug.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
