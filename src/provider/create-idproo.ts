import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { parseConfig } from '../config/load.ts';
import { parseIssuer, type IdProoConfig, type IdProoConfigInput } from '../config/schema.ts';
import { shortPlainSecrets } from '../config/secrets.ts';
import { toConfigurationData } from '../config/to-store.ts';
import { discoveryDocument } from '../endpoints/discovery.ts';
import type { IdProoEvent } from '../events/events.ts';
import { createEventSink } from '../events/log-events.ts';
import { createGrantHandlers } from '../grants/index.ts';
import type { GrantHandler } from '../grants/types.ts';
import { defaultMaxBodyBytes } from '../http/body.ts';
import { createRequestHandler, type RequestHandler } from '../http/handler.ts';
import { DataProtector } from '../keys/data-protection.ts';
import { SigningKeyService } from '../keys/signing-key-service.ts';
import { CachedResourceIndex } from '../resources/resource-index.ts';
import { createMemoryStores } from '../stores/index.ts';
import type { ClientStore, Stores } from '../stores/types.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/logger.ts';
import { scheduleCleanup } from './cleanup.ts';
import { routes, type InteractiveParts } from './routes.ts';
import { SignInThrottle } from '../account/sign-in-throttle.ts';
import { paths } from '../endpoints/paths.ts';
import { Interactions } from '../interaction/interactions.ts';
import { isSecureIssuer } from '../sessions/cookies.ts';
import { SessionService } from '../sessions/session-service.ts';
import { createInteractionApi, type InteractionApi } from './interaction-api.ts';
import { createPageKit } from './page-kit.ts';
import { locales } from '../pages/index.ts';
import { createDemoEndpoints } from '../demo/demo-endpoints.ts';
import type { Services } from './services.ts';

export interface IdProoOptions {
  /** The configuration, as in the JSON file; validated here unless it is already an IdProoConfig from loadConfigFile. */
  readonly config: IdProoConfigInput | IdProoConfig;
  /** Overrides `config.issuer`. One of the two is required. */
  readonly issuer?: string;
  /** Defaults to in-memory stores (nothing survives a restart). */
  readonly stores?: Stores;
  /**
   * Applies the configuration's clients, resources and users to the stores at start (default true):
   * those the file listed before and no longer lists are removed; entries written through the store
   * (`saveClient`, …) are never touched, and a file that lists one of their ids stops the start.
   * An application that manages all of them in its own stores sets false.
   */
  readonly syncConfiguration?: boolean;
  /** 32-byte key that encrypts signing keys at rest; random (so keys die with the process) when absent. */
  readonly dataProtectionKey?: Buffer;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Called with every event after it is logged (audit, metrics); an exception it throws is logged and ignored. */
  readonly onEvent?: (event: IdProoEvent) => void;
  /** Extra grant handlers, or replacements of built-in ones by grant type; each made from the provider's services. */
  readonly grants?: readonly ((services: Services) => GrantHandler)[];
  readonly maxBodyBytes?: number;
  /** Milliseconds resources, and the clients' allowed CORS origins, are cached between store reads (default 60 000). */
  readonly resourceCacheMs?: number;
  /** Milliseconds between removals of expired grants (default 300 000; 0 turns it off). */
  readonly cleanupIntervalMs?: number;
}

export interface IdProo {
  /** node:http request listener; Express middleware too (unknown paths go to `next`). */
  readonly handler: RequestHandler;
  readonly issuer: string;
  readonly discovery: Readonly<Record<string, unknown>>;
  readonly services: Services;
  /** For the host application's own sign-in, consent and sign-out pages (userInteraction.*Url). */
  readonly interactions: InteractionApi;
  /** Stops background work and closes the stores; the HTTP server is the caller's to close first. */
  close(): Promise<void>;
}

/** Builds a provider: validates the configuration, applies it to the stores, loads keys and wires the routes. */
export async function createIdProo(options: IdProoOptions): Promise<IdProo> {
  const config = parseConfig(options.config);
  const issuerInput = options.issuer ?? config.issuer;
  if (!issuerInput) throw new TypeError('an issuer is required: set "issuer" in the configuration or pass the issuer option');
  const parsedIssuer = parseIssuer(issuerInput);
  if (!parsedIssuer.success) throw new TypeError(`issuer ${parsedIssuer.message}`);
  const issuer = parsedIssuer.data;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const stores = options.stores ?? createMemoryStores();
  const events = createEventSink(logger, options.onEvent);
  const weak = shortPlainSecrets(config);
  if (weak.length > 0) events.emit({ type: 'config.short_secrets', paths: weak });

  if (options.syncConfiguration ?? true) {
    const data = await toConfigurationData(config);
    await stores.clients.syncConfiguredClients(data.clients);
    await stores.resources.syncConfiguredResources(data.resources);
    await stores.users.syncConfiguredUsers(data.users);
  }

  const dataProtectionKey = options.dataProtectionKey ?? randomBytes(32);
  const keys = new SigningKeyService({
    store: stores.signingKeys,
    clients: stores.clients,
    protector: new DataProtector(dataProtectionKey),
    clock,
    events,
    options: config.keyManagement,
  });
  await keys.refresh();

  const cacheMs = options.resourceCacheMs ?? 60_000;
  const resources = new CachedResourceIndex(stores.resources, clock, cacheMs);
  const deriveHandle = handleDeriver(dataProtectionKey);
  const allowsCorsOrigin = cachedCorsOrigins(stores.clients, clock, cacheMs);
  const services: Services = { issuer, clock, logger, events, stores, keys, resources, deriveHandle, allowsCorsOrigin };
  const grants = createGrantHandlers(services);
  for (const grant of (options.grants ?? []).map((create) => create(services))) grants.set(grant.grantType, grant);

  const discovery = discoveryDocument({
    issuer,
    grantTypes: [...grants.keys()],
    resources: await resources.reload(),
    signingAlgorithms: keys.algorithms,
    userinfo: true,
    uiLocales: locales,
  });
  const interactive = interactiveParts(services, config);
  const demo = config.demoRelyingParty === undefined ? undefined : createDemoEndpoints({ services, demo: config.demoRelyingParty, pages: config.pages, users: config.users });
  const handler = createRequestHandler(routes(services, grants, discovery, config.keyManagement.propagationTime, interactive, demo), {
    logger,
    events,
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
  });
  const cleanupInterval = options.cleanupIntervalMs ?? 300_000;
  const stopCleanup = cleanupInterval > 0 ? scheduleCleanup(stores, clock, events, cleanupInterval) : async () => {};
  return {
    handler,
    issuer,
    discovery,
    services,
    interactions: createInteractionApi({ ...interactive.completion, services }),
    close: async () => {
      await stopCleanup();
      await stores.close();
    },
  };
}

/** Sessions, interactions and pages: what the browser-facing endpoints share. */
function interactiveParts(services: Services, config: IdProoConfig): InteractiveParts {
  const { issuer, stores, clock, events } = services;
  const secure = isSecureIssuer(issuer);
  const sessions = new SessionService({ stores, clock, events, authentication: config.authentication, secure });
  const interactions = new Interactions({ stores, clock, cookies: sessions.cookies, secure, lifetime: config.userInteraction.interactionLifetime });
  const { pages, presenter } = createPageKit(config.pages, config.userInteraction, issuer, clock, services.logger);
  // A configured page is a path on this server's origin or an absolute URL; the built-in ones sit under the issuer.
  const page = (configured: string | undefined, builtIn: string) => (configured === undefined ? issuer + builtIn : new URL(configured, issuer).href);
  return {
    sessions,
    interactions,
    pages,
    presenter,
    throttle: new SignInThrottle(stores, clock, config.authentication),
    secure,
    urls: {
      login: page(config.userInteraction.loginUrl, paths.login),
      consent: page(config.userInteraction.consentUrl, paths.consent),
      logout: page(config.userInteraction.logoutUrl, paths.logout),
    },
    completion: { sessions, interactions, events, callbackUrl: issuer + paths.authorizationCallback },
  };
}

/**
 * Services.deriveHandle: HMAC-SHA256 under a key of its own, derived from the data-protection key with
 * HKDF (RFC 5869), so the data-protection key itself never keys anything but AES-GCM. Every node with the
 * same data-protection key derives the same handles.
 */
function handleDeriver(dataProtectionKey: Buffer): Services['deriveHandle'] {
  const key = Buffer.from(hkdfSync('sha256', dataProtectionKey, Buffer.alloc(0), 'idproo handle derivation v1', 32));
  return (purpose, handle) => createHmac('sha256', key).update(purpose).update('\0').update(handle).digest('base64url');
}

/**
 * Services.allowsCorsOrigin: the origins of every enabled client's allowedCorsOrigins (Duende's rule),
 * kept in memory and re-read from the client store at most every `ttlMs`, as the resource index is, so
 * a preflight costs no store round trip and a client saved on another node counts within that time.
 */
function cachedCorsOrigins(store: ClientStore, clock: Clock, ttlMs: number): Services['allowsCorsOrigin'] {
  let origins: ReadonlySet<string> | undefined;
  let loadedAt = 0;
  let loading: Promise<ReadonlySet<string>> | undefined;
  const reload = () =>
    (loading ??= store
      .listClients()
      .then((clients) => {
        origins = new Set(clients.filter((c) => c.enabled).flatMap((c) => c.allowedCorsOrigins));
        loadedAt = clock.now();
        return origins;
      })
      .finally(() => {
        loading = undefined;
      }));
  return (origin) => {
    if (origins && clock.now() - loadedAt < ttlMs) return origins.has(origin);
    return reload().then((set) => set.has(origin));
  };
}
