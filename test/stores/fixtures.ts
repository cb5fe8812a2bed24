import { randomBytes } from 'node:crypto';
import { clientDefaults } from '../../src/stores/client-defaults.ts';
import type { ApiResource, Client, Consent, Interaction, PersistedGrant, Resources, StoredSigningKey, User, UserSession } from '../../src/stores/types.ts';

// Fixed epoch ms, so expiry boundaries are exact.
export const NOW = 1_750_000_000_000;
const HOUR = 3_600_000;

export function fullClient(clientId: string): Client {
  return {
    ...clientDefaults,
    clientId,
    clientName: `Client ${clientId}`,
    enabled: true,
    clientSecrets: [
      { type: 'sha256', hash: 'K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=', expiration: NOW + HOUR, description: 'rotating' },
      { type: 'sha512', hash: 'x9Q2fJ1GE7lrsQ/3P0q1ECnS6qkb2y0eLqRQY9fXgVY=' },
    ],
    requireClientSecret: true,
    allowedGrantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://app.example/callback'],
    postLogoutRedirectUris: ['https://app.example/'],
    allowedScopes: ['openid', 'profile', 'api1'],
    requirePkce: true,
    requireConsent: false,
    allowOfflineAccess: true,
    accessTokenType: 'reference',
    accessTokenLifetime: 3600,
  };
}

/** Every optional field absent. */
export function minimalClient(clientId: string): Client {
  return {
    ...clientDefaults,
    clientId,
    enabled: false,
    clientSecrets: [],
    requireClientSecret: false,
    allowedGrantTypes: ['client_credentials'],
    redirectUris: [],
    postLogoutRedirectUris: [],
    allowedScopes: [],
    requirePkce: false,
    requireConsent: true,
    allowOfflineAccess: false,
    accessTokenType: 'jwt',
    accessTokenLifetime: 300,
  };
}

export function apiResource(name: string): ApiResource {
  return {
    name,
    displayName: `API ${name}`,
    description: 'An API',
    enabled: true,
    scopes: [`${name}.read`, `${name}.write`],
    apiSecrets: [{ type: 'sha256', hash: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=', expiration: NOW + HOUR, description: 'introspection' }],
    userClaims: ['role'],
    allowedAccessTokenSigningAlgorithms: ['RS256', 'ES256'],
  };
}

/** Optional fields present on some entries and absent on others. */
export function resources(): Resources {
  return {
    apiScopes: [
      { name: 'api1.read', displayName: 'Read', description: 'Read access', enabled: true, userClaims: ['email'] },
      { name: 'api1.write', enabled: false, userClaims: [] },
    ],
    apiResources: [
      apiResource('api1'),
      { name: 'api2', enabled: false, scopes: [], apiSecrets: [], userClaims: [], allowedAccessTokenSigningAlgorithms: [] },
    ],
    identityResources: [
      { name: 'openid', enabled: true, userClaims: ['sub'] },
      { name: 'profile', displayName: 'Profile', description: 'Your name', enabled: true, userClaims: ['name', 'family_name'] },
    ],
  };
}

export function user(subjectId: string, username = `user-${subjectId}`): User {
  return {
    subjectId,
    username,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA',
    enabled: true,
    claims: {
      name: 'Alice Smith',
      age: 42,
      email_verified: true,
      roles: ['admin', 'user'],
      address: { street_address: '1 Main St', locality: 'Springfield', nested: { ok: [1, null] } },
    },
  };
}

export function randomKey(): string {
  return randomBytes(32).toString('base64url');
}

export function grant(overrides: Partial<PersistedGrant> = {}): PersistedGrant {
  return {
    key: randomKey(),
    type: 'reference_token',
    clientId: 'client-a',
    subjectId: 'alice',
    sessionId: 'session-1',
    createdAt: NOW - HOUR,
    expiresAt: NOW + HOUR,
    data: JSON.stringify({ scope: 'openid api1', aud: ['api1'] }),
    ...overrides,
  };
}

/** No subject, session or consumedAt, as for a client_credentials reference token. */
export function minimalGrant(overrides: Partial<PersistedGrant> = {}): PersistedGrant {
  return {
    key: randomKey(),
    type: 'reference_token',
    clientId: 'machine',
    createdAt: NOW,
    expiresAt: NOW + HOUR,
    data: '{}',
    ...overrides,
  };
}

export function signingKey(kid: string, createdAt = NOW): StoredSigningKey {
  return { kid, alg: 'RS256', createdAt, data: `ciphertext-of-${kid}` };
}

/** Every optional field present; `minimalSession` leaves them out. */
export function session(overrides: Partial<UserSession> = {}): UserSession {
  return {
    key: randomKey(),
    sessionId: randomKey(),
    subjectId: 'alice',
    authTime: NOW - HOUR,
    amr: ['pwd', 'mfa'],
    acr: 'urn:idproo:acr:mfa',
    clientIds: ['client-a', 'client-b'],
    createdAt: NOW - HOUR,
    lastActivityAt: NOW - 60_000,
    expiresAt: NOW + HOUR,
    persistent: true,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    ipAddress: '203.0.113.7',
    ...overrides,
  };
}

export function minimalSession(overrides: Partial<UserSession> = {}): UserSession {
  return {
    key: randomKey(),
    sessionId: randomKey(),
    subjectId: 'bob',
    authTime: NOW,
    amr: [],
    clientIds: [],
    createdAt: NOW,
    lastActivityAt: NOW,
    expiresAt: NOW + HOUR,
    persistent: false,
    ...overrides,
  };
}

export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    key: randomKey(),
    browserKey: randomKey(),
    clientId: 'client-a',
    createdAt: NOW - 60_000,
    expiresAt: NOW + HOUR,
    data: JSON.stringify({ request: { scope: 'openid profile', state: 'xyz' }, steps: ['login'] }),
    ...overrides,
  };
}

export function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    subjectId: 'alice',
    clientId: 'client-a',
    scopes: ['openid', 'profile', 'api1.read'],
    createdAt: NOW - HOUR,
    expiresAt: NOW + HOUR,
    ...overrides,
  };
}
