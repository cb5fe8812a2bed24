import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { isPasswordHash } from './passwords.ts';
import { parsePrehashed } from './secrets.ts';

/**
 * The one configuration schema: it validates, applies defaults and yields the types. Field names are
 * Duende IdentityServer's, camelCased, so a Duende configuration reads the same here. Every message
 * says what is wrong and how to fix it; `loadConfig` prefixes the path.
 */

/** Standard identity resources and their claims (OIDC Core §5.4). */
export const standardIdentityResources: Record<string, readonly string[]> = {
  openid: ['sub'],
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

export const signingAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

/** Grant types a client may list; the token endpoint serves those that have a handler. */
export const knownGrantTypes = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:openid:params:grant-type:ciba',
] as const;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeTokenPattern = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const nonEmpty = (what: string) => z.string({ error: `must be a string (${what})` }).min(1, { error: `must not be empty (${what})` });

const duration = (fallback: number, what: string) =>
  z
    .union([z.number(), z.string()], { error: `must be a number of seconds or a string such as "90d" (${what})` })
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (seconds === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a positive whole number of seconds or a string such as "14d", "12h", "30m" (${what})` });
        return z.NEVER;
      }
      return seconds;
    });

const absoluteUri = (what: string) =>
  z.string({ error: `must be a string (${what})` }).refine(
    (value) => {
      if (value.includes('#')) return false;
      try {
        const url = new URL(value);
        return url.protocol.length > 1 && value === value.trim();
      } catch {
        return false;
      }
    },
    { error: `must be an absolute URI without a fragment (${what}), e.g. "https://app.example.com/callback"` },
  );

const secretString = nonEmpty('a secret such as "a-long-random-string", or a hash written as "sha256:<base64>"').refine(
  (value) => !/^sha(256|512):/.test(value) || parsePrehashed(value) !== undefined,
  { error: 'a value starting with sha256: or sha512: must be the base64 (not hex) of a 32- or 64-byte digest, e.g. "sha256:" + base64(SHA-256(secret))' },
);

/** A secret written plain (hashed at load) or already hashed as `sha256:<base64>` / `sha512:<base64>`. */
const secret = z.union(
  [
    secretString,
    z.strictObject({
      value: secretString,
      expiration: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with a zone, such as "2027-01-31T00:00:00Z"' }).optional(),
      description: z.string().optional(),
    }),
  ],
  { error: 'must be a secret string or an object { "value": "...", "expiration"?: "ISO date", "description"?: "..." }' },
);

const scopeName = (what: string) =>
  z.string({ error: `must be a string (${what})` }).regex(scopeTokenPattern, {
    error: `must be a scope name of visible ASCII characters without spaces, quotes or backslashes (RFC 6749 §3.3) (${what})`,
  });

const claimList = z.array(nonEmpty('a claim type such as "email"'), { error: 'must be an array of claim types' }).default([]);

export const clientSchema = z.strictObject({
  clientId: nonEmpty('a unique client identifier such as "billing-service"'),
  clientName: z.string().optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  clientSecrets: z.array(secret, { error: 'must be an array of secrets' }).default([]),
  requireClientSecret: z.boolean({ error: 'must be true or false' }).default(true),
  allowedGrantTypes: z
    .array(
      z.enum(knownGrantTypes, { error: `must be one of ${knownGrantTypes.map((g) => `"${g}"`).join(', ')}` }),
      { error: 'must be an array of grant types such as ["client_credentials"]' },
    )
    .min(1, { error: 'must list at least one grant type, e.g. ["client_credentials"]' }),
  redirectUris: z.array(absoluteUri('a registered redirect URI'), { error: 'must be an array of absolute URIs' }).default([]),
  postLogoutRedirectUris: z.array(absoluteUri('a registered post-logout redirect URI'), { error: 'must be an array of absolute URIs' }).default([]),
  allowedScopes: z.array(scopeName('a scope defined in apiScopes or identityResources'), { error: 'must be an array of scope names' }).default([]),
  requirePkce: z.boolean({ error: 'must be true or false' }).default(true),
  requireConsent: z.boolean({ error: 'must be true or false' }).default(false),
  allowOfflineAccess: z.boolean({ error: 'must be true or false' }).default(false),
  accessTokenType: z.enum(['jwt', 'reference'], { error: 'must be "jwt" or "reference"' }).default('jwt'),
  accessTokenLifetime: z
    .number({ error: 'must be a number of seconds such as 3600' })
    .int({ error: 'must be a whole number of seconds' })
    .positive({ error: 'must be a positive number of seconds' })
    .max(31_536_000, { error: 'must be at most 31536000 (one year)' })
    .default(3600),
});

export const apiScopeSchema = z.strictObject({
  name: scopeName('the scope name clients request'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  userClaims: claimList,
});

export const apiResourceSchema = z.strictObject({
  name: nonEmpty('the API identifier used as the access token audience, e.g. "https://api.example.com" or "invoices"'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  scopes: z.array(scopeName('a scope defined in apiScopes'), { error: 'must be an array of scope names' }).default([]),
  apiSecrets: z.array(secret, { error: 'must be an array of secrets' }).default([]),
  userClaims: claimList,
  allowedAccessTokenSigningAlgorithms: z
    .array(z.enum(signingAlgorithms, { error: `must be one of ${signingAlgorithms.join(', ')}` }), { error: 'must be an array of algorithms' })
    .default([]),
});

const identityResourceObject = z.strictObject({
  name: scopeName('the scope name clients request'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  userClaims: claimList,
});

export const identityResourceSchema = z
  .union([z.string(), identityResourceObject], {
    error: `must be a standard name (${Object.keys(standardIdentityResources).map((n) => `"${n}"`).join(', ')}) or an object { "name": "...", "userClaims": [...] }`,
  })
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    const claims = standardIdentityResources[value];
    if (!claims) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a standard identity resource; use one of ${Object.keys(standardIdentityResources).join(', ')} or write an object { "name": "${value}", "userClaims": [...] }`,
      });
      return z.NEVER;
    }
    return { name: value, enabled: true, userClaims: [...claims] };
  });

const claimValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.record(z.string(), z.unknown())], {
  error: 'must be a string, number, boolean, array of strings or object',
});

export const userSchema = z.strictObject({
  subjectId: nonEmpty('a stable, unique subject identifier such as "1" or a UUID'),
  username: nonEmpty('the sign-in name'),
  password: nonEmpty('a password, or an argon2id hash in PHC format "$argon2id$..."').refine(
    (value) => !/^\$(argon2(i|d|id)?|2[abxy]?|scrypt|pbkdf2[-\w]*)\$/.test(value) || isPasswordHash(value),
    { error: 'looks like a password hash but is not argon2id in PHC format ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"); write the plain password or an argon2id hash' },
  ),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  claims: z.record(z.string(), claimValue, { error: 'must be an object of claim type to value, e.g. { "email": "alice@example.com" }' }).default({}),
});

const signingAlgorithmOption = z
  .union(
    [
      z.enum(signingAlgorithms),
      z.strictObject({ name: z.enum(signingAlgorithms, { error: `must be one of ${signingAlgorithms.join(', ')}` }) }),
    ],
    { error: `must be one of ${signingAlgorithms.map((a) => `"${a}"`).join(', ')} or { "name": "ES256" }` },
  )
  .transform((value) => (typeof value === 'string' ? value : value.name));

export const keyManagementSchema = z
  .strictObject({
    signingAlgorithms: z
      .array(signingAlgorithmOption, { error: 'must be an array of algorithms such as ["RS256", "ES256"]' })
      .min(1, { error: 'must list at least one algorithm, e.g. ["RS256"]' })
      .default(['RS256'])
      .refine((list) => new Set(list).size === list.length, { error: 'must not list an algorithm twice' }),
    // Duende's defaults: rotate every 90 days, announce 14 days ahead, keep 14 days after retirement.
    rotationInterval: duration(90 * 86400, 'how long a key signs before the next one takes over'),
    propagationTime: duration(14 * 86400, 'how long a new key is published before it signs'),
    retentionDuration: duration(14 * 86400, 'how long a retired key stays published'),
    keyCacheDuration: duration(3600, 'how often the key set is re-read from the store'),
  })
  .prefault({})
  .superRefine((value, ctx) => {
    if (value.propagationTime >= value.rotationInterval) {
      ctx.addIssue({
        code: 'custom',
        path: ['propagationTime'],
        message: `must be shorter than rotationInterval (${value.rotationInterval} s), so a new key is announced before the current one stops signing`,
      });
    }
  });

/** OIDC Discovery §3: an http(s) URL without query or fragment; trailing slashes are dropped. */
export const issuerSchema = z
  .string({ error: 'must be a string' })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && !value.includes('?') && !value.includes('#');
      } catch {
        return false;
      }
    },
    { error: 'must be an http(s) URL without query or fragment, e.g. "https://login.example.com" (OIDC Discovery §3)' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    issuer: issuerSchema.optional(),
    clients: z.array(clientSchema, { error: 'must be an array of clients' }).default([]),
    apiScopes: z.array(apiScopeSchema, { error: 'must be an array of API scopes' }).default([]),
    apiResources: z.array(apiResourceSchema, { error: 'must be an array of API resources' }).default([]),
    identityResources: z.array(identityResourceSchema, { error: 'must be an array of identity resources' }).default([]),
    users: z.array(userSchema, { error: 'must be an array of users' }).default([]),
    keyManagement: keyManagementSchema,
  }, { error: 'must be a JSON object such as { "clients": [...] }' })
  .superRefine((config, ctx) => {
    const unique = (items: readonly { readonly [k: string]: unknown }[], key: string, where: string) => {
      const seen = new Map<unknown, number>();
      items.forEach((item, index) => {
        const value = item[key];
        const first = seen.get(value);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: [where, index, key], message: `"${String(value)}" is already used by ${where}[${first}]; each ${key} must be unique` });
        } else seen.set(value, index);
      });
    };
    unique(config.clients, 'clientId', 'clients');
    unique(config.apiScopes, 'name', 'apiScopes');
    unique(config.apiResources, 'name', 'apiResources');
    unique(config.identityResources, 'name', 'identityResources');
    unique(config.users, 'subjectId', 'users');
    unique(config.users, 'username', 'users');

    const apiScopeNames = new Set(config.apiScopes.map((s) => s.name));
    const identityNames = new Set(config.identityResources.map((r) => r.name));
    config.apiScopes.forEach((scope, index) => {
      if (identityNames.has(scope.name)) {
        ctx.addIssue({ code: 'custom', path: ['apiScopes', index, 'name'], message: `"${scope.name}" is also an identity resource; a scope name must mean one thing` });
      }
    });
    config.apiResources.forEach((resource, index) => {
      resource.allowedAccessTokenSigningAlgorithms.forEach((alg, i) => {
        if (!config.keyManagement.signingAlgorithms.includes(alg)) {
          ctx.addIssue({
            code: 'custom',
            path: ['apiResources', index, 'allowedAccessTokenSigningAlgorithms', i],
            message: `${alg} has no signing key; add it to keyManagement.signingAlgorithms or remove it here`,
          });
        }
      });
      resource.scopes.forEach((scope, i) => {
        if (!apiScopeNames.has(scope)) {
          ctx.addIssue({ code: 'custom', path: ['apiResources', index, 'scopes', i], message: `"${scope}" is not defined; add { "name": "${scope}" } to apiScopes or remove it here` });
        }
      });
    });
    config.clients.forEach((client, index) => {
      client.allowedScopes.forEach((scope, i) => {
        if (!apiScopeNames.has(scope) && !identityNames.has(scope) && scope !== 'offline_access') {
          ctx.addIssue({
            code: 'custom',
            path: ['clients', index, 'allowedScopes', i],
            message: `"${scope}" is not defined; add it to apiScopes or identityResources, or remove it here`,
          });
        }
      });
      if (client.requireClientSecret && client.clientSecrets.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['clients', index, 'clientSecrets'],
          message: 'the client requires a secret (requireClientSecret defaults to true) but has none; add a secret, or set "requireClientSecret": false for a public client',
        });
      }
      if (!client.requireClientSecret && client.allowedGrantTypes.includes('client_credentials')) {
        ctx.addIssue({
          code: 'custom',
          path: ['clients', index, 'allowedGrantTypes'],
          message: 'client_credentials needs a confidential client (RFC 6749 §4.4); set "requireClientSecret": true and add a secret',
        });
      }
    });
  });

export type IdProoConfigInput = z.input<typeof configSchema>;
export type IdProoConfig = z.output<typeof configSchema>;
export type ClientConfig = IdProoConfig['clients'][number];
export type ApiScopeConfig = IdProoConfig['apiScopes'][number];
export type ApiResourceConfig = IdProoConfig['apiResources'][number];
export type IdentityResourceConfig = IdProoConfig['identityResources'][number];
export type UserConfig = IdProoConfig['users'][number];
export type KeyManagementConfig = IdProoConfig['keyManagement'];
export type SecretConfig = ClientConfig['clientSecrets'][number];
