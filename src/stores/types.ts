/**
 * Narrow async interfaces, one per aggregate. Every implementation (memory, SQLite, and PostgreSQL
 * later) passes the one contract suite in test/stores/. Nothing backend-specific leaks through:
 * times are epoch milliseconds, handles arrive already hashed, and every operation that must be
 * atomic (consumeGrant, rotateGrant, syncConfigured…, addKey) is a single call.
 */

/** A secret as stored: only its hash. `hash` is base64 of the digest of the UTF-8 secret. */
export interface StoredSecret {
  readonly type: 'sha256' | 'sha512';
  readonly hash: string;
  /** Epoch ms after which the secret no longer authenticates. */
  readonly expiration?: number | undefined;
  readonly description?: string | undefined;
}

export type AccessTokenType = 'jwt' | 'reference';

export interface Client {
  readonly clientId: string;
  readonly clientName?: string | undefined;
  readonly enabled: boolean;
  readonly clientSecrets: readonly StoredSecret[];
  readonly requireClientSecret: boolean;
  readonly allowedGrantTypes: readonly string[];
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly allowedScopes: readonly string[];
  readonly requirePkce: boolean;
  readonly requireConsent: boolean;
  readonly allowOfflineAccess: boolean;
  readonly accessTokenType: AccessTokenType;
  /** Seconds. */
  readonly accessTokenLifetime: number;
  /** RFC 7636 §4.2 `plain` accepted besides `S256`. */
  readonly allowPlainTextPkce: boolean;
  readonly allowRememberConsent: boolean;
  /** Seconds a remembered consent lasts; undefined: until revoked. */
  readonly consentLifetime?: number | undefined;
  /** Seconds. */
  readonly identityTokenLifetime: number;
  /** Seconds. */
  readonly authorizationCodeLifetime: number;
  readonly refreshTokenUsage: RefreshTokenUsage;
  readonly refreshTokenExpiration: RefreshTokenExpiration;
  /** Seconds from the first refresh token of a family; the family ends then whatever the usage. */
  readonly absoluteRefreshTokenLifetime: number;
  /** Seconds a refresh token lasts from its issue when `refreshTokenExpiration` is `Sliding`. */
  readonly slidingRefreshTokenLifetime: number;
  /** Seconds after a rotation in which the rotated token, presented again, gets the same successor pair. */
  readonly refreshTokenGraceSeconds: number;
  /** Origins (`scheme://host[:port]`) whose pages may call the token, userinfo and revocation endpoints. */
  readonly allowedCorsOrigins: readonly string[];
  /** Empty: the provider's default signing algorithm. */
  readonly allowedIdentityTokenSigningAlgorithms: readonly string[];
  readonly alwaysIncludeUserClaimsInIdToken: boolean;
  readonly updateAccessTokenClaimsOnRefresh: boolean;
  /** Seconds since sign-in after which this client asks for a new sign-in; undefined: the session's lifetime. */
  readonly userSsoLifetime?: number | undefined;
}

export type RefreshTokenUsage = 'OneTimeOnly' | 'ReUse';
export type RefreshTokenExpiration = 'Absolute' | 'Sliding';

export interface ApiScope {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly enabled: boolean;
  readonly userClaims: readonly string[];
}

export interface ApiResource {
  /** The audience (`aud`) of access tokens for this API. */
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly enabled: boolean;
  readonly scopes: readonly string[];
  readonly apiSecrets: readonly StoredSecret[];
  readonly userClaims: readonly string[];
  readonly allowedAccessTokenSigningAlgorithms: readonly string[];
}

export interface IdentityResource {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly enabled: boolean;
  readonly userClaims: readonly string[];
}

export interface Resources {
  readonly apiScopes: readonly ApiScope[];
  readonly apiResources: readonly ApiResource[];
  readonly identityResources: readonly IdentityResource[];
}

export type ClaimValue = string | number | boolean | readonly string[] | { readonly [key: string]: unknown };

export interface User {
  readonly subjectId: string;
  readonly username: string;
  /** argon2id in PHC string format; never the password. */
  readonly passwordHash: string;
  readonly enabled: boolean;
  readonly claims: Readonly<Record<string, ClaimValue>>;
}

/*
 * Clients, resources and users have two owners. The configuration file owns the entries it lists:
 * `syncConfigured…` creates, updates and removes them at every start. Everything else (an admin API,
 * dynamic client registration, user registration) writes with `save…`/`remove…`, and those entries are
 * the store's: the file never changes or removes them, and `save…`/`remove…` never touch the file's
 * (docs/decisions/0006-configuration-owned-entries.md).
 */

export interface ClientStore {
  findClientById(clientId: string): Promise<Client | undefined>;
  listClients(): Promise<Client[]>;
  /** Creates or updates a client the store owns. Rejects with ConfiguredEntryError if the configuration owns the id. */
  saveClient(client: Client): Promise<void>;
  /** Removes a client the store owns; false if there was none. Rejects with ConfiguredEntryError for a configured one. */
  removeClient(clientId: string): Promise<boolean>;
  /**
   * Makes the configured clients exactly `clients`: each is created or updated, configured clients not
   * listed are removed, clients the store owns are untouched. Atomic; changes nothing when it rejects:
   * DuplicateKeyError if the list repeats an id, ConfigurationConflictError naming every listed id
   * that a client the store owns already has.
   */
  syncConfiguredClients(clients: readonly Client[]): Promise<void>;
}

/** The kinds of resource, by the name `saveResource`/`removeResource` take, and what each holds. */
export interface ResourceKinds {
  readonly apiScope: ApiScope;
  readonly apiResource: ApiResource;
  readonly identityResource: IdentityResource;
}

export type ResourceKind = keyof ResourceKinds;

export interface ResourceStore {
  getAllResources(): Promise<Resources>;
  findApiResourceByName(name: string): Promise<ApiResource | undefined>;
  /**
   * Creates or updates a resource the store owns. Names are unique per kind: an API scope and an
   * identity resource may share one. Rejects with ConfiguredEntryError if the configuration owns it.
   */
  saveResource<K extends ResourceKind>(kind: K, resource: ResourceKinds[K]): Promise<void>;
  /** Removes a resource the store owns; false if there was none. Rejects with ConfiguredEntryError for a configured one. */
  removeResource(kind: ResourceKind, name: string): Promise<boolean>;
  /** As `syncConfiguredClients`, for every kind of resource at once. */
  syncConfiguredResources(resources: Resources): Promise<void>;
}

export interface UserStore {
  findUserBySubjectId(subjectId: string): Promise<User | undefined>;
  findUserByUsername(username: string): Promise<User | undefined>;
  /**
   * Creates or updates (by subjectId) a user the store owns. Rejects with DuplicateKeyError if another
   * user has the username, ConfiguredEntryError if the configuration owns the subjectId.
   */
  saveUser(user: User): Promise<void>;
  /** Removes a user the store owns; false if there was none. Rejects with ConfiguredEntryError for a configured one. */
  removeUser(subjectId: string): Promise<boolean>;
  /** As `syncConfiguredClients`; a conflict is a subjectId or a username that a user the store owns has. */
  syncConfiguredUsers(users: readonly User[]): Promise<void>;
}

/**
 * A grant kept on the server (Duende's persisted grant): reference tokens now; authorization
 * codes, refresh tokens and consents later. `key` is the SHA-256 of the handle, never the handle.
 */
export interface PersistedGrant {
  readonly key: string;
  readonly type: string;
  readonly clientId: string;
  readonly subjectId?: string | undefined;
  readonly sessionId?: string | undefined;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Epoch ms; set once by consume(). */
  readonly consumedAt?: number | undefined;
  /**
   * What was issued from one authorization (its code, the refresh tokens rotated from it, their
   * reference access tokens) shares a family id, so a replay revokes them together (RFC 6749 §4.1.2,
   * RFC 9700 §4.14.2).
   */
  readonly familyId?: string | undefined;
  /** Serialized JSON payload owned by the grant type. */
  readonly data: string;
}

export interface GrantFilter {
  readonly clientId?: string;
  readonly subjectId?: string;
  readonly sessionId?: string;
  readonly familyId?: string;
  readonly type?: string;
}

/**
 * What a single-use consume (consumeGrant, rotateGrant) found. Only `consumed` changed anything.
 * `replayed` carries the stored grant with the `consumedAt` of the use that won, so the caller can
 * revoke what was issued from it (RFC 6749 §4.1.2 for a code used twice, RFC 9700 §4.14.2 for a reused
 * refresh token); a grant both consumed and expired is `replayed`, since the reuse is what must be acted
 * on. `expired` means unconsumed but `expiresAt <= now`.
 */
export type ConsumeGrantResult =
  | { readonly outcome: 'consumed'; readonly grant: PersistedGrant }
  | { readonly outcome: 'replayed'; readonly grant: PersistedGrant }
  | { readonly outcome: 'expired'; readonly grant: PersistedGrant }
  | { readonly outcome: 'unknown' };

export interface GrantStore {
  /** Stores a new grant; rejects if the key exists. */
  storeGrant(grant: PersistedGrant): Promise<void>;
  getGrant(key: string): Promise<PersistedGrant | undefined>;
  /** Removes and returns the grant, or undefined if there was none. */
  removeGrant(key: string): Promise<PersistedGrant | undefined>;
  /**
   * Marks the grant consumed at `now` if it exists, is unconsumed and unexpired (`outcome: 'consumed'`,
   * with the grant as it was before); otherwise says why not and changes nothing. One atomic step: of
   * any number of concurrent calls for one key, exactly one is `consumed`.
   */
  consumeGrant(key: string, now: number): Promise<ConsumeGrantResult>;
  /**
   * Consumes `key` as consumeGrant does and stores `successor` (the next refresh token of its family),
   * both or neither, in one atomic step: of concurrent rotations of one key exactly one is `consumed`,
   * and only its successor is stored. When the consume does not win, nothing is stored and the result
   * says why, whatever the successor. When it would win but `successor.key` exists (`key` itself
   * included), rejects with DuplicateKeyError and changes nothing.
   */
  rotateGrant(key: string, successor: PersistedGrant, now: number): Promise<ConsumeGrantResult>;
  /**
   * Replaces the `data` of an unconsumed grant unexpired at `now` (a refresh token used again without
   * rotation moves its sliding expiry); false, changing nothing, otherwise. One atomic step.
   */
  updateGrantData(key: string, data: string, now: number): Promise<boolean>;
  /** Every grant matching all given fields, consumed and expired ones included. An empty filter is refused. */
  listGrants(filter: GrantFilter): Promise<PersistedGrant[]>;
  /** Removes every grant matching all given fields; returns how many. An empty filter is refused. */
  removeGrants(filter: GrantFilter): Promise<number>;
  /** Removes up to `limit` grants expired at `now`; returns how many. */
  removeExpiredGrants(now: number, limit: number): Promise<number>;
}

/** Revoked self-contained (JWT) access tokens, by `jti`, remembered until they would have expired. */
export interface RevocationStore {
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;
  removeExpiredRevocations(now: number, limit: number): Promise<number>;
}

/** A signing key as stored: the private JWK encrypted under the data-protection key. */
export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** AES-256-GCM ciphertext of the private JWK (see keys/data-protection.ts). */
  readonly data: string;
}

export interface SigningKeyStore {
  /** Oldest first (by createdAt, then kid), so every backend hands key rotation the same order. */
  listKeys(): Promise<StoredSigningKey[]>;
  /** Adds a key; rejects if the kid exists. */
  addKey(key: StoredSigningKey): Promise<void>;
  removeKey(kid: string): Promise<void>;
}

/**
 * A user's sign-in session at the provider (OIDC Core §3.1.2.1's End-User session). The browser's cookie
 * holds only a random handle; `key` is its hash, so a leaked store does not leak live cookies. `sessionId`
 * is the public `sid` claim (Front- and Back-Channel Logout name sessions by it).
 */
export interface UserSession {
  readonly key: string;
  readonly sessionId: string;
  readonly subjectId: string;
  /** Epoch ms of the sign-in (`auth_time`). */
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr?: string | undefined;
  /** Clients that received tokens in this session, in the order they first did (for logout). */
  readonly clientIds: readonly string[];
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms of the last request that used the session. */
  readonly lastActivityAt: number;
  /** Epoch ms after which the session no longer signs anyone in. */
  readonly expiresAt: number;
  /** "Remember me": the cookie outlives the browser session. */
  readonly persistent: boolean;
  readonly userAgent?: string | undefined;
  readonly ipAddress?: string | undefined;
}

export interface SessionFilter {
  readonly subjectId?: string;
  readonly sessionId?: string;
  readonly clientId?: string;
}

export interface SessionStore {
  /** Rejects with DuplicateKeyError if the key or the sessionId exists. */
  createSession(session: UserSession): Promise<void>;
  /** The session, or undefined if there is none or it expired at `now`. */
  findSession(key: string, now: number): Promise<UserSession | undefined>;
  /**
   * One atomic step on an unexpired session: adds `clientId` (if given and not yet listed) to its clients,
   * sets `lastActivityAt` and, if given, `expiresAt` (sliding expiration). Returns the session as updated,
   * or undefined if there is none or it expired at `now` (and then changes nothing).
   */
  touchSession(key: string, update: { readonly clientId?: string; readonly lastActivityAt: number; readonly expiresAt?: number }, now: number): Promise<UserSession | undefined>;
  /** Removes and returns the session, or undefined if there was none. */
  removeSession(key: string): Promise<UserSession | undefined>;
  /** Unexpired sessions matching all given fields, oldest first. An empty filter is refused. */
  listSessions(filter: SessionFilter, now: number): Promise<UserSession[]>;
  removeExpiredSessions(now: number, limit: number): Promise<number>;
}

/**
 * An authorization request waiting for the user (sign-in, consent): created by the authorization
 * endpoint, read and advanced by the pages (built-in or the host's), consumed once when the answer goes
 * back to the client. `key` hashes the id in the URL; `browserKey` hashes the cookie that binds it to the
 * browser that started it.
 */
export interface Interaction {
  readonly key: string;
  readonly browserKey: string;
  readonly clientId: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Epoch ms; set once by consumeInteraction. */
  readonly consumedAt?: number | undefined;
  /** Serialized JSON owned by the authorization endpoint: the validated request and the steps done. */
  readonly data: string;
}

export type ConsumeInteractionResult =
  | { readonly outcome: 'consumed'; readonly interaction: Interaction }
  | { readonly outcome: 'replayed'; readonly interaction: Interaction }
  | { readonly outcome: 'expired'; readonly interaction: Interaction }
  | { readonly outcome: 'unknown' };

export interface InteractionStore {
  /** Rejects with DuplicateKeyError if the key exists. */
  createInteraction(interaction: Interaction): Promise<void>;
  /** As stored, consumed or expired ones included, until cleanup removes them. */
  findInteraction(key: string): Promise<Interaction | undefined>;
  /** Replaces `data` of an unconsumed, unexpired interaction; false (and no change) otherwise. */
  updateInteraction(key: string, data: string, now: number): Promise<boolean>;
  /** As GrantStore.consumeGrant: one atomic step, exactly one of concurrent calls is `consumed`. */
  consumeInteraction(key: string, now: number): Promise<ConsumeInteractionResult>;
  removeExpiredInteractions(now: number, limit: number): Promise<number>;
}

/** A remembered consent: the scopes a user allowed a client, so it is asked again only for new ones. */
export interface Consent {
  readonly subjectId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms; undefined: until revoked. */
  readonly expiresAt?: number | undefined;
}

export interface ConsentStore {
  /** The consent, or undefined if there is none or it expired at `now`. */
  findConsent(subjectId: string, clientId: string, now: number): Promise<Consent | undefined>;
  /** Creates or replaces the consent of (subjectId, clientId). */
  saveConsent(consent: Consent): Promise<void>;
  removeConsent(subjectId: string, clientId: string): Promise<boolean>;
  /** The subject's unexpired consents, oldest first. */
  listConsents(subjectId: string, now: number): Promise<Consent[]>;
  removeExpiredConsents(now: number, limit: number): Promise<number>;
}

/** Failed sign-ins counted under one key (an account, a client IP) within a window. */
export interface AttemptCount {
  readonly count: number;
  /** Epoch ms of the first failure of the window. */
  readonly firstAt: number;
  /** Epoch ms of the latest failure. */
  readonly lastAt: number;
  /** Epoch ms when the count lapses. */
  readonly expiresAt: number;
}

export interface SignInAttemptStore {
  /**
   * Counts one failure in one atomic step (concurrent calls on every node add up): a count that lapsed
   * at `now` starts again at 1. The count lapses at `now + windowMs`. Returns the count after.
   */
  recordFailure(key: string, now: number, windowMs: number): Promise<AttemptCount>;
  /** The count, or undefined if there is none or it lapsed at `now`. */
  getAttempts(key: string, now: number): Promise<AttemptCount | undefined>;
  resetAttempts(key: string): Promise<void>;
  removeExpiredAttempts(now: number, limit: number): Promise<number>;
}

export interface Stores {
  readonly clients: ClientStore;
  readonly resources: ResourceStore;
  readonly users: UserStore;
  readonly grants: GrantStore;
  readonly revocations: RevocationStore;
  readonly signingKeys: SigningKeyStore;
  readonly sessions: SessionStore;
  readonly interactions: InteractionStore;
  readonly consents: ConsentStore;
  readonly signInAttempts: SignInAttemptStore;
  /**
   * Resolves once the database answers a trivial query (readiness probes); rejects, with
   * StoreUnavailableError where the backend can tell, when it does not. Sets no timeout of its own.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
