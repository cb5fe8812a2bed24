/** Mutates whatever it can reach; frozen results throw, which is as good as a copy. */
export function tryToMutate(value: unknown): void {
  try {
    const target = value as Record<string, unknown>;
    for (const [field, child] of Object.entries(target)) {
      if (Array.isArray(child)) child.push('tampered');
      else if (typeof child === 'object' && child !== null) tryToMutate(child);
      else target[field] = 'tampered';
    }
  } catch {
    // A frozen object refused the write: the store is protected.
  }
}
