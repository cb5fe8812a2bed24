import type { SigningKeyService } from '../keys/signing-key-service.ts';
import type { CachedResourceIndex } from '../resources/resource-index.ts';
import type { EventSink } from '../events/events.ts';
import type { Stores } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

/**
 * Everything endpoints and grant handlers may use. Each consumer declares the slice it needs with
 * `Pick<Services, …>`, so dependencies stay visible and tests can pass just those.
 */
export interface Services {
  readonly issuer: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  readonly stores: Stores;
  readonly keys: SigningKeyService;
  readonly resources: CachedResourceIndex;
  /**
   * A keyed, deterministic function of a handle: HMAC-SHA256 under a key derived (HKDF) from the
   * data-protection key, base64url, with `purpose` separating its uses. The refresh grant derives a
   * rotated token's successor from it, so a retry finds the same successor without any secret stored
   * (docs/decisions/0009-refresh-token-grace-window.md).
   */
  readonly deriveHandle: (purpose: string, handle: string) => string;
  /**
   * Whether a browser page of `origin` may call the token, revocation and userinfo endpoints: some
   * enabled client lists it in `allowedCorsOrigins`. Read from a cache refreshed at most every
   * `resourceCacheMs`, not from the store per request.
   */
  readonly allowsCorsOrigin: (origin: string) => boolean | Promise<boolean>;
}
