/**
 * A deep-frozen JSON copy. Callers may keep and share what the store returns without being able to
 * change the store through it; and optional fields set to `undefined` disappear exactly as they do
 * in the SQLite JSON columns, so both backends return deep-equal values.
 */
export function snapshot<T>(value: T): T {
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
