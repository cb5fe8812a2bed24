// Extended result codes, https://sqlite.org/rescode.html#constraint_primarykey
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** Which kind of uniqueness `error` violated, if it is SQLite's constraint error at all. */
export function uniqueViolation(error: unknown): 'primary-key' | 'unique' | undefined {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (errcode === SQLITE_CONSTRAINT_PRIMARYKEY) return 'primary-key';
  if (errcode === SQLITE_CONSTRAINT_UNIQUE) return 'unique';
  return undefined;
}
