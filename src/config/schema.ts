import * as v from 'valibot';
import { parseDuration } from './duration.ts';
import { isPasswordHash } from './passwords.ts';
import { clientDefaults } from '../stores/client-defaults.ts';
import { isAbsoluteUri, isScopeToken } from '../util/syntax.ts';
import { parsePrehashed } from './secrets.ts';

/**
 * The one configuration schema (valibot, see docs/decisions/0003): it validates, applies defaults and yields
 * the types. Field names are Duende IdentityServer's, camelCased, so a Duende configuration reads the same
 * here. Every message says what is wrong and how to fix it; load.ts prefixes the path.
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

// An ISO 8601 date and time with seconds and a zone (Z or ±hh:mm), e.g. 2027-01-31T00:00:00Z; the date must exist.
const isoDateTimeWithZone =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** The JSON type of a value, for the messages of fields that have no message of their own. */
const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const expected = (type: string) => (issue: v.BaseIssue<unknown>) => `Invalid input: expected ${type}, received ${jsonType(issue.input)}`;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An object that refuses unknown fields. valibot's own strictObject names only the first unknown field,
 * takes an array for an object, and fails the whole object at an unknown field, so that the rules across
 * fields would not run. This one names every unknown field in one problem at the object, lets the rules
 * across fields run (an unknown field is reported along with them), refuses arrays, and gives a missing
 * field the message of that field, which load.ts prefixes with "is required: ".
 */
function strictObject<const TEntries extends v.ObjectEntries>(entries: TEntries, message?: string) {
  const schema = v.object(entries, (issue) => {
    const key = issue.path?.[0]?.key;
    if (issue.expected !== 'Object' && typeof key === 'string' && Object.hasOwn(entries, key)) {
      const missing = v.safeParse(entries[key]!, undefined);
      if (!missing.success) return missing.issues[0].message;
    }
    return message ?? expected('object')(issue);
  });
  const unknownFields = v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
    const unknown = Object.keys(dataset.value as Record<string, unknown>).filter((key) => !Object.hasOwn(entries, key));
    if (unknown.length === 0) return;
    addIssue({
      label: 'key',
      expected: 'never',
      message: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; check the spelling against docs/configuration.md`,
    });
  });
  const runObject = schema['~run'];
  const run: typeof runObject = (dataset, config) => {
    const input = dataset.value;
    if (!isPlainObject(input)) {
      v._addIssue(schema as v.GenericSchema, 'type', dataset, config);
      return dataset as unknown as ReturnType<typeof runObject>;
    }
    const output = runObject.call(schema, dataset, config);
    // Checked on the input, which still has the unknown fields; a problem here leaves `typed` as the fields made it.
    const unknown = unknownFields['~run']({ typed: true, value: input }, config).issues;
    if (unknown) output.issues = [...(output.issues ?? []), ...unknown] as typeof output.issues;
    return output;
  };
  return Object.assign(schema, { '~run': run });
}

const nonEmpty = (what: string) => v.pipe(v.string(`must be a string (${what})`), v.minLength(1, `must not be empty (${what})`));

const optionalString = v.optional(v.string(expected('string')));

const duration = (fallback: number, what: string) =>
  v.optional(
    v.pipe(
      v.union([v.number(), v.string()], `must be a number of seconds or a string such as "90d" (${what})`),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const seconds = parseDuration(dataset.value);
        if (seconds === undefined) {
          addIssue({ message: `must be a positive whole number of seconds or a string such as "14d", "12h", "30m" (${what})` });
          return NEVER;
        }
        return seconds;
      }),
    ),
    fallback,
  );

/** A positive whole number of seconds, at most ten years. */
const seconds = (what: string) =>
  v.config(
    v.pipe(
      v.number(`must be a number of seconds (${what})`),
      v.finite(`must be a number of seconds (${what})`),
      v.safeInteger('must be a whole number of seconds'),
      v.gtValue(0, 'must be a positive number of seconds'),
      v.maxValue(315_360_000, 'must be at most 315360000 (ten years)'),
    ),
    { abortPipeEarly: true },
  );

/** RFC 6454 §6.2's serialization: `scheme://host[:port]`, lower case, default port omitted. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const attemptLimit = v.pipe(
  v.number('must be a number of failed attempts such as 5'),
  v.safeInteger('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
);

/** A resource for the pages: a path on this server or an https URL (the page's CSP allows its origin). */
const absoluteOrPath = (what: string) =>
  v.pipe(
    v.string(`must be a string (${what})`),
    v.check(
      (value) => (value.startsWith('/') && !value.startsWith('//')) || (/^https:\/\//.test(value) && isAbsoluteUri(value)),
      `must be a path such as "/static/brand.css" or an https URL (${what})`,
    ),
  );

const absoluteUri = (what: string) =>
  v.pipe(
    v.string(`must be a string (${what})`),
    v.check(isAbsoluteUri, `must be an absolute URI without a fragment (${what}), e.g. "https://app.example.com/callback"`),
  );

const secretString = v.pipe(
  nonEmpty('a secret such as "a-long-random-string", or a hash written as "sha256:<base64>"'),
  v.check(
    (value) => !/^sha(256|512):/.test(value) || parsePrehashed(value) !== undefined,
    'a value starting with sha256: or sha512: must be the base64 (not hex) of a 32- or 64-byte digest, e.g. "sha256:" + base64(SHA-256(secret))',
  ),
);

/** A secret written plain (hashed at load) or already hashed as `sha256:<base64>` / `sha512:<base64>`. */
const secret = v.union(
  [
    secretString,
    strictObject({
      value: secretString,
      expiration: v.optional(
        v.pipe(
          v.string('must be an ISO 8601 date and time with a zone, such as "2027-01-31T00:00:00Z"'),
          v.regex(isoDateTimeWithZone, 'must be an ISO 8601 date and time with a zone, such as "2027-01-31T00:00:00Z"'),
        ),
      ),
      description: optionalString,
    }),
  ],
  'must be a secret string or an object { "value": "...", "expiration"?: "ISO date", "description"?: "..." }',
);

const scopeName = (what: string) =>
  v.pipe(
    v.string(`must be a string (${what})`),
    v.check(isScopeToken, `must be a scope name of visible ASCII characters without spaces, quotes or backslashes (RFC 6749 §3.3) (${what})`),
  );

const boolean = (fallback: boolean) => v.optional(v.boolean('must be true or false'), fallback);

const claimList = v.optional(v.array(nonEmpty('a claim type such as "email"'), 'must be an array of claim types'), []);

export const clientSchema = strictObject({
  clientId: nonEmpty('a unique client identifier such as "billing-service"'),
  clientName: optionalString,
  enabled: boolean(true),
  clientSecrets: v.optional(v.array(secret, 'must be an array of secrets'), []),
  requireClientSecret: boolean(true),
  allowedGrantTypes: v.pipe(
    v.array(
      v.picklist(knownGrantTypes, `must be one of ${knownGrantTypes.map((g) => `"${g}"`).join(', ')}`),
      'must be an array of grant types such as ["client_credentials"]',
    ),
    v.minLength(1, 'must list at least one grant type, e.g. ["client_credentials"]'),
  ),
  redirectUris: v.optional(v.array(absoluteUri('a registered redirect URI'), 'must be an array of absolute URIs'), []),
  postLogoutRedirectUris: v.optional(v.array(absoluteUri('a registered post-logout redirect URI'), 'must be an array of absolute URIs'), []),
  allowedScopes: v.optional(v.array(scopeName('a scope defined in apiScopes or identityResources'), 'must be an array of scope names'), []),
  requirePkce: boolean(true),
  requireConsent: boolean(false),
  allowOfflineAccess: boolean(false),
  accessTokenType: v.optional(v.picklist(['jwt', 'reference'], 'must be "jwt" or "reference"'), 'jwt'),
  // The first failed check is the one reported: a fraction is "not whole", not also "not positive".
  accessTokenLifetime: v.optional(
    v.config(
      v.pipe(
        v.number('must be a number of seconds such as 3600'),
        v.finite('must be a number of seconds such as 3600'),
        v.safeInteger('must be a whole number of seconds'),
        v.gtValue(0, 'must be a positive number of seconds'),
        v.maxValue(31_536_000, 'must be at most 31536000 (one year)'),
      ),
      { abortPipeEarly: true },
    ),
    3600,
  ),
  allowPlainTextPkce: boolean(clientDefaults.allowPlainTextPkce),
  allowRememberConsent: boolean(clientDefaults.allowRememberConsent),
  consentLifetime: v.optional(seconds('how long a remembered consent lasts')),
  identityTokenLifetime: v.optional(seconds('how long an ID token is valid'), clientDefaults.identityTokenLifetime),
  authorizationCodeLifetime: v.optional(seconds('how long an authorization code can be redeemed'), clientDefaults.authorizationCodeLifetime),
  refreshTokenUsage: v.optional(v.picklist(['OneTimeOnly', 'ReUse'], 'must be "OneTimeOnly" or "ReUse"'), clientDefaults.refreshTokenUsage),
  refreshTokenExpiration: v.optional(v.picklist(['Absolute', 'Sliding'], 'must be "Absolute" or "Sliding"'), clientDefaults.refreshTokenExpiration),
  absoluteRefreshTokenLifetime: v.optional(seconds('the longest a refresh token family lives'), clientDefaults.absoluteRefreshTokenLifetime),
  slidingRefreshTokenLifetime: v.optional(seconds('how long a refresh token lives from its issue when sliding'), clientDefaults.slidingRefreshTokenLifetime),
  refreshTokenGraceSeconds: v.optional(
    v.pipe(
      v.number('must be a number of seconds such as 5'),
      v.safeInteger('must be a whole number of seconds'),
      v.minValue(0, 'must be 0 (no grace window) or a few seconds'),
      v.maxValue(300, 'must be at most 300; a grace window is for retries and tabs, a few seconds'),
    ),
    clientDefaults.refreshTokenGraceSeconds,
  ),
  allowedCorsOrigins: v.optional(
    v.array(
      v.pipe(
        v.string('must be a string (an origin such as "https://app.example.com")'),
        v.check(isOrigin, 'must be an origin: scheme, host and optional port, no path or trailing slash, e.g. "https://app.example.com"'),
      ),
      'must be an array of origins',
    ),
    [],
  ),
  allowedIdentityTokenSigningAlgorithms: v.optional(
    v.array(v.picklist(signingAlgorithms, `must be one of ${signingAlgorithms.join(', ')}`), 'must be an array of algorithms'),
    [],
  ),
  alwaysIncludeUserClaimsInIdToken: boolean(clientDefaults.alwaysIncludeUserClaimsInIdToken),
  updateAccessTokenClaimsOnRefresh: boolean(clientDefaults.updateAccessTokenClaimsOnRefresh),
  userSsoLifetime: v.optional(seconds('how long after a sign-in this client accepts the session')),
});

export const apiScopeSchema = strictObject({
  name: scopeName('the scope name clients request'),
  displayName: optionalString,
  description: optionalString,
  enabled: boolean(true),
  userClaims: claimList,
});

export const apiResourceSchema = strictObject({
  name: nonEmpty('the API identifier used as the access token audience, e.g. "https://api.example.com" or "invoices"'),
  displayName: optionalString,
  description: optionalString,
  enabled: boolean(true),
  scopes: v.optional(v.array(scopeName('a scope defined in apiScopes'), 'must be an array of scope names'), []),
  apiSecrets: v.optional(v.array(secret, 'must be an array of secrets'), []),
  userClaims: claimList,
  allowedAccessTokenSigningAlgorithms: v.optional(
    v.array(v.picklist(signingAlgorithms, `must be one of ${signingAlgorithms.join(', ')}`), 'must be an array of algorithms'),
    [],
  ),
});

const identityResourceObject = strictObject({
  name: scopeName('the scope name clients request'),
  displayName: optionalString,
  description: optionalString,
  enabled: boolean(true),
  userClaims: claimList,
});

export const identityResourceSchema = v.pipe(
  v.union([v.string(), identityResourceObject], `must be a standard name (${Object.keys(standardIdentityResources).map((n) => `"${n}"`).join(', ')}) or an object { "name": "...", "userClaims": [...] }`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value;
    if (typeof value !== 'string') return value;
    const claims = standardIdentityResources[value];
    if (!claims) {
      addIssue({
        message: `"${value}" is not a standard identity resource; use one of ${Object.keys(standardIdentityResources).join(', ')} or write an object { "name": "${value}", "userClaims": [...] }`,
      });
      return NEVER;
    }
    return { name: value, enabled: true, userClaims: [...claims] };
  }),
);

/** A JSON object of any keys (valibot's record alone would take an array for one). */
const jsonObject = <const TValue extends v.GenericSchema>(value: TValue, message: string) =>
  v.pipe(v.custom<Record<string, unknown>>(isPlainObject, message), v.record(v.string(), value, message));

const claimValueMessage = 'must be a string, number, boolean, array of strings or object';
const claimValue = v.union(
  [v.string(), v.number(), v.boolean(), v.array(v.string()), jsonObject(v.unknown(), claimValueMessage)],
  claimValueMessage,
);

export const userSchema = strictObject({
  subjectId: nonEmpty('a stable, unique subject identifier such as "1" or a UUID'),
  username: nonEmpty('the sign-in name'),
  password: v.pipe(
    nonEmpty('a password, or an argon2id hash in PHC format "$argon2id$..."'),
    v.check(
      (value) => !/^\$(argon2(i|d|id)?|2[abxy]?|scrypt|pbkdf2[-\w]*)\$/.test(value) || isPasswordHash(value),
      'looks like a password hash but is not argon2id in PHC format ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"); write the plain password or an argon2id hash',
    ),
  ),
  enabled: boolean(true),
  claims: v.optional(jsonObject(claimValue, 'must be an object of claim type to value, e.g. { "email": "alice@example.com" }'), {}),
});

const signingAlgorithmOption = v.pipe(
  v.union(
    [v.picklist(signingAlgorithms), strictObject({ name: v.picklist(signingAlgorithms, `must be one of ${signingAlgorithms.join(', ')}`) })],
    `must be one of ${signingAlgorithms.map((a) => `"${a}"`).join(', ')} or { "name": "ES256" }`,
  ),
  v.transform((value) => (typeof value === 'string' ? value : value.name)),
);

/**
 * Whether the rules across fields can run on a dataset: when every value has the right type. A failed check
 * (a pattern, a length, an unknown field) leaves the types right, though valibot then skips the transforms
 * after it and marks the value untyped; such a value is as read, e.g. `{ "name": "ES256" }` for "ES256".
 */
function checkable<T>(dataset: v.OutputDataset<T, v.BaseIssue<unknown>>): dataset is v.OutputDataset<T, v.BaseIssue<unknown>> & { value: T } {
  return dataset.typed || (dataset.issues?.every((issue) => issue.kind === 'validation') ?? false);
}

/** An algorithm written { "name": ... } with a problem of its own is still that object in a rule across fields (see checkable). */
const algorithmName = (alg: SigningAlgorithm | { name: SigningAlgorithm }): SigningAlgorithm => (typeof alg === 'string' ? alg : alg.name);

type PathKey = string | number;
type IssuePath = [v.IssuePathItem, ...v.IssuePathItem[]];

/** The issue path to `keys` inside `root`, for a problem found by a rule across fields. */
function pathIn(root: unknown, ...keys: [PathKey, ...PathKey[]]): IssuePath {
  let input = root as Record<PathKey, unknown>;
  const items = keys.map((key): v.IssuePathItem => {
    const value = input[key];
    const item: v.IssuePathItem =
      typeof key === 'number'
        ? { type: 'array', origin: 'value', input: input as unknown as unknown[], key, value }
        : { type: 'object', origin: 'value', input, key, value };
    input = value as Record<PathKey, unknown>;
    return item;
  });
  return items as IssuePath;
}

const keyManagementObject = strictObject({
  signingAlgorithms: v.optional(
    v.pipe(
      v.array(signingAlgorithmOption, 'must be an array of algorithms such as ["RS256", "ES256"]'),
      v.minLength(1, 'must list at least one algorithm, e.g. ["RS256"]'),
      v.rawCheck<SigningAlgorithm[]>(({ dataset, addIssue }) => {
        if (!checkable(dataset)) return;
        const names = dataset.value.map(algorithmName);
        if (new Set(names).size !== names.length) addIssue({ message: 'must not list an algorithm twice' });
      }),
    ),
    ['RS256'],
  ),
  // Duende's defaults: rotate every 90 days, announce 14 days ahead, keep 14 days after retirement.
  rotationInterval: duration(90 * 86400, 'how long a key signs before the next one takes over'),
  propagationTime: duration(14 * 86400, 'how long a new key is published before it signs'),
  retentionDuration: duration(14 * 86400, 'how long a retired key stays published'),
  keyCacheDuration: duration(3600, 'how often the key set is re-read from the store'),
});

export const keyManagementSchema = v.optional(
  v.pipe(
    keyManagementObject,
    v.rawCheck<v.InferOutput<typeof keyManagementObject>>(({ dataset, addIssue }) => {
      if (!checkable(dataset)) return;
      const value = dataset.value;
      if (value.propagationTime >= value.rotationInterval) {
        addIssue({
          path: pathIn(value, 'propagationTime'),
          message: `must be shorter than rotationInterval (${value.rotationInterval} s), so a new key is announced before the current one stops signing`,
        });
      }
    }),
  ),
  {},
);

// Duende's AuthenticationOptions: a 10-hour session, not sliding. The throttle is ours (OWASP ASVS V2.2.1).
const authenticationSchema = v.optional(
  strictObject({
    cookieLifetime: duration(36_000, 'how long a sign-in session lasts'),
    cookieSlidingExpiration: boolean(false),
    maxFailedAttemptsPerAccount: v.optional(attemptLimit, 5),
    maxFailedAttemptsPerIp: v.optional(attemptLimit, 50),
    lockoutDuration: duration(900, 'how long sign-in stays refused after too many failures'),
  }),
  {},
);

/** A page of the host application: a path on this server ("/account/login") or an absolute http(s) URL. */
const interactionUrl = (what: string) =>
  v.optional(
    v.pipe(
      v.string(`must be a string (${what})`),
      v.check(
        (value) => (value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')) || /^https?:\/\//.test(value) && isAbsoluteUri(value),
        `must be a path such as "/account/login" or an absolute http(s) URL (${what})`,
      ),
    ),
  );

// Duende's UserInteractionOptions: absent URLs mean the built-in pages.
const userInteractionSchema = v.optional(
  strictObject({
    loginUrl: interactionUrl('the host page that signs the user in'),
    consentUrl: interactionUrl('the host page that asks for consent'),
    logoutUrl: interactionUrl('the host page that confirms sign-out'),
    errorUrl: interactionUrl('the host page that shows an error'),
    interactionLifetime: duration(600, 'how long a sign-in or consent may take'),
  }),
  {},
);

const pagesSchema = v.optional(
  strictObject({
    defaultLocale: v.optional(v.picklist(['en', 'id'], 'must be "en" or "id"'), 'en'),
    productName: v.optional(nonEmpty('the name shown on the pages'), 'IdProo'),
    stylesheetUrl: v.optional(absoluteOrPath('a CSS file loaded after the built-in one')),
    logoUrl: v.optional(absoluteOrPath('an image shown at the top of every page')),
  }),
  {},
);

// A development aid, not a feature: src/demo/ reads only the client id.
const demoRelyingPartySchema = v.optional(
  strictObject({
    clientId: nonEmpty('the client the demo signs in with, e.g. "demo-app": public, with the redirect URI {issuer}/demo/callback'),
  }, 'must be an object such as { "clientId": "demo-app" }'),
);

/** OIDC Discovery §3: an http(s) URL without query or fragment; trailing slashes are dropped. */
export const issuerSchema = v.pipe(
  v.string('must be a string'),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && !value.includes('?') && !value.includes('#');
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without query or fragment, e.g. "https://login.example.com" (OIDC Discovery §3)'),
  v.transform((value) => value.replace(/\/+$/, '')),
);

/** Validates an issuer given outside the configuration file (`--issuer`, the `issuer` option). */
export function parseIssuer(value: unknown): { success: true; data: string } | { success: false; message: string } {
  const result = v.safeParse(issuerSchema, value);
  return result.success ? { success: true, data: result.output } : { success: false, message: result.issues[0].message };
}

const configObject = strictObject(
  {
    $schema: optionalString,
    issuer: v.optional(issuerSchema),
    clients: v.optional(v.array(clientSchema, 'must be an array of clients'), []),
    apiScopes: v.optional(v.array(apiScopeSchema, 'must be an array of API scopes'), []),
    apiResources: v.optional(v.array(apiResourceSchema, 'must be an array of API resources'), []),
    identityResources: v.optional(v.array(identityResourceSchema, 'must be an array of identity resources'), []),
    users: v.optional(v.array(userSchema, 'must be an array of users'), []),
    keyManagement: keyManagementSchema,
    authentication: authenticationSchema,
    userInteraction: userInteractionSchema,
    pages: pagesSchema,
    demoRelyingParty: demoRelyingPartySchema,
  },
  'must be a JSON object such as { "clients": [...] }',
);

/** The rules across fields; they run once every field has the right type. */
export const configSchema = v.pipe(
  configObject,
  v.rawCheck<v.InferOutput<typeof configObject>>(({ dataset, addIssue }) => {
    if (!checkable(dataset)) return;
    const config = dataset.value;
    const unique = (items: readonly { readonly [k: string]: unknown }[], key: string, where: keyof typeof config) => {
      const seen = new Map<unknown, number>();
      items.forEach((item, index) => {
        const value = item[key];
        const first = seen.get(value);
        if (first !== undefined) {
          addIssue({ path: pathIn(config, where, index, key), message: `"${String(value)}" is already used by ${where}[${first}]; each ${key} must be unique` });
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
        addIssue({ path: pathIn(config, 'apiScopes', index, 'name'), message: `"${scope.name}" is also an identity resource; a scope name must mean one thing` });
      }
    });
    const keyAlgorithms = new Set(config.keyManagement.signingAlgorithms.map(algorithmName));
    config.apiResources.forEach((resource, index) => {
      resource.allowedAccessTokenSigningAlgorithms.forEach((alg, i) => {
        if (!keyAlgorithms.has(alg)) {
          addIssue({
            path: pathIn(config, 'apiResources', index, 'allowedAccessTokenSigningAlgorithms', i),
            message: `${alg} has no signing key; add it to keyManagement.signingAlgorithms or remove it here`,
          });
        }
      });
      resource.scopes.forEach((scope, i) => {
        if (!apiScopeNames.has(scope)) {
          addIssue({ path: pathIn(config, 'apiResources', index, 'scopes', i), message: `"${scope}" is not defined; add { "name": "${scope}" } to apiScopes or remove it here` });
        }
      });
    });
    config.clients.forEach((client, index) => {
      client.allowedScopes.forEach((scope, i) => {
        if (!apiScopeNames.has(scope) && !identityNames.has(scope) && scope !== 'offline_access') {
          addIssue({
            path: pathIn(config, 'clients', index, 'allowedScopes', i),
            message: `"${scope}" is not defined; add it to apiScopes or identityResources, or remove it here`,
          });
        }
      });
      if (client.requireClientSecret && client.clientSecrets.length === 0) {
        addIssue({
          path: pathIn(config, 'clients', index, 'clientSecrets'),
          message: 'the client requires a secret (requireClientSecret defaults to true) but has none; add a secret, or set "requireClientSecret": false for a public client',
        });
      }
      client.allowedIdentityTokenSigningAlgorithms.forEach((alg, i) => {
        if (!keyAlgorithms.has(alg)) {
          addIssue({
            path: pathIn(config, 'clients', index, 'allowedIdentityTokenSigningAlgorithms', i),
            message: `${alg} has no signing key; add it to keyManagement.signingAlgorithms or remove it here`,
          });
        }
      });
      if (!client.requireClientSecret && client.allowedGrantTypes.includes('client_credentials')) {
        addIssue({
          path: pathIn(config, 'clients', index, 'allowedGrantTypes'),
          message: 'client_credentials needs a confidential client (RFC 6749 §4.4); set "requireClientSecret": true and add a secret',
        });
      }
    });
  }),
);

export type IdProoConfigInput = v.InferInput<typeof configSchema>;
export type IdProoConfig = v.InferOutput<typeof configSchema>;
export type ClientConfig = IdProoConfig['clients'][number];
export type ApiScopeConfig = IdProoConfig['apiScopes'][number];
export type ApiResourceConfig = IdProoConfig['apiResources'][number];
export type IdentityResourceConfig = IdProoConfig['identityResources'][number];
export type UserConfig = IdProoConfig['users'][number];
export type KeyManagementConfig = IdProoConfig['keyManagement'];
export type SecretConfig = ClientConfig['clientSecrets'][number];
export type AuthenticationConfig = IdProoConfig['authentication'];
export type UserInteractionConfig = IdProoConfig['userInteraction'];
export type PagesConfig = IdProoConfig['pages'];
export type DemoRelyingPartyConfig = NonNullable<IdProoConfig['demoRelyingParty']>;
