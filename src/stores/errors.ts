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
