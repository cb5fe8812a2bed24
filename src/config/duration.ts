const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses a duration written as seconds (number) or as `90d`, `12h`, `30m`, `45s`; returns seconds or undefined. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * units[match[2]!]!;
  return seconds > 0 ? seconds : undefined;
}
