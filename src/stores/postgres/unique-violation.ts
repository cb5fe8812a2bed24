// https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNIQUE_VIOLATION = '23505';

/**
 * Which kind of uniqueness `error` violated, if it is PostgreSQL's unique violation at all. The
 * constraint's name tells them apart: PostgreSQL names a primary key `<table>_pkey`.
 */
export function uniqueViolation(error: unknown): 'primary-key' | 'unique' | undefined {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION) return undefined;
  return typeof constraint === 'string' && constraint.endsWith('_pkey') ? 'primary-key' : 'unique';
}
