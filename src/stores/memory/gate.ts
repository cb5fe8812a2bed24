/** One open/closed flag shared by a set of memory stores, so they reject after close() as SQLite's do. */
export interface Gate {
  open: boolean;
}

export function checkOpen(gate: Gate): void {
  if (!gate.open) throw new Error('stores are closed');
}
