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
}
