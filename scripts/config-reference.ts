/**
 * Generates the field reference in docs/configuration.md from the configuration schema
 * (src/config/schema.ts): the fields and their defaults come from the valibot schema itself (each field parsed
 * with the value left out, so a default is what the server really applies), the types from the schema's
 * validations (a minimum length, a pattern, a range), the meanings from the table below. A schema field without a
 * meaning here, or a meaning for a field the schema no longer has, is an error: the reference cannot drift from
 * the schema silently.
 *
 *   node scripts/config-reference.ts           rewrite the generated part of docs/configuration.md
 *   node scripts/config-reference.ts --check   exit 1 if docs/configuration.md is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { configSchema, knownGrantTypes, signingAlgorithms, standardIdentityResources } from '../src/config/schema.ts';

export const docFile = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
export const beginMarker = '<!-- BEGIN GENERATED: npm run docs:config -->';
export const endMarker = '<!-- END GENERATED: npm run docs:config -->';

/**
 * The parts of valibot's schema objects this script reads. A pipe is its first schema with `pipe` added; an
 * optional schema wraps another; an array has its `item`; a union its schema `options`, a picklist its values.
 */
type SchemaNode = {
  readonly type: string;
  readonly pipe?: readonly SchemaNode[];
  readonly wrapped?: SchemaNode;
  readonly item?: SchemaNode;
  readonly options?: readonly (SchemaNode | string)[];
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly requirement?: unknown;
};

interface Field {
  /** What the field means and when to set it (Markdown, one paragraph). */
  readonly meaning: string;
  /** Replaces the type derived from the JSON Schema where that would be unhelpful. */
  readonly type?: string;
  /** Replaces the default read from the schema (for defaults that depend on more than the field). */
  readonly default?: string;
}

interface Section {
  readonly title: string;
  readonly intro: string;
  /** Where the object sits, from the root: a field name, or `[]` for the items of an array. */
  readonly at: readonly string[];
  readonly fields: Readonly<Record<string, Field>>;
}

const link = (text: string, anchor: string) => `[${text}](#${anchor})`;
const durationType = link('duration', 'durations');
const secretsType = `array of ${link('secrets', 'secrets')}`;

const sections: readonly Section[] = [
  {
    title: 'Top level',
    intro: 'The file is one JSON object. Every member is optional: `{}` is a valid configuration (a server with no clients).',
    at: [],
    fields: {
      $schema: { meaning: 'Ignored by the server. Lets an editor find a JSON Schema for completion.' },
      issuer: {
        meaning:
          'The issuer identifier (OIDC Discovery §3): the `iss` of every token and the base of every endpoint URL in discovery. Must be an `http:` or `https:` URL without query or fragment; a trailing slash is removed. `--issuer` / `IDPROO_ISSUER` override it; without any of them, `idproo start` uses `http://localhost:PORT`. Use `https:` in production.',
        type: 'string (http(s) URL)',
        default: 'from `--issuer`, else `http://localhost:PORT`',
      },
      clients: { meaning: `The applications that may ask for tokens. See ${link('clients[]', 'clients')}.`, type: `array of ${link('clients', 'clients')}` },
      apiScopes: { meaning: `The scopes that grant access to APIs. See ${link('apiScopes[]', 'apiscopes')}.`, type: `array of ${link('API scopes', 'apiscopes')}` },
      apiResources: {
        meaning: `The APIs (token audiences) and which scopes they accept. See ${link('apiResources[]', 'apiresources')}.`,
        type: `array of ${link('API resources', 'apiresources')}`,
      },
      identityResources: {
        meaning: `The OpenID Connect scopes about the user (\`openid\`, \`profile\`, …). See ${link('identityResources[]', 'identityresources')}.`,
        type: `array of ${link('identity resources', 'identityresources')}`,
      },
      users: { meaning: `Test users that can sign in interactively. See ${link('users[]', 'users')}.`, type: `array of ${link('users', 'users')}` },
      authentication: { meaning: `Sign-in sessions and the sign-in throttle. See ${link('authentication', 'authentication')}.`, type: 'object' },
      userInteraction: { meaning: `Your own sign-in, consent, sign-out and error pages instead of the built-in ones. See ${link('userInteraction', 'userinteraction')}.`, type: 'object' },
      pages: { meaning: `Language and branding of the built-in pages. See ${link('pages', 'pages')}.`, type: 'object' },
      demoRelyingParty: {
        meaning: `Serves a small relying party at \`/demo\` for trying the server; not for production. See ${link('demoRelyingParty', 'demorelyingparty')}.`,
        type: 'object',
        default: 'none (no `/demo` routes)',
      },
      keyManagement: {
        meaning: `Signing algorithms and automatic key rotation. See ${link('keyManagement', 'keymanagement')}.`,
        type: 'object',
        default: `every field at its ${link('default', 'keymanagement')}`,
      },
    },
  },
  {
    title: 'clients[]',
    intro: 'A client is an application that asks IdProo for tokens. `clientId` and `allowedGrantTypes` are required; a client needs a secret unless `requireClientSecret` is `false`.',
    at: ['clients', '[]'],
    fields: {
      clientId: { meaning: 'The client identifier, unique across clients; the `client_id` the application sends.' },
      clientName: { meaning: 'A display name, for logs and (later) consent screens.' },
      enabled: { meaning: 'A disabled client cannot authenticate or get tokens; use it to switch a client off without deleting it.' },
      clientSecrets: {
        meaning:
          'The secrets the client may authenticate with (HTTP Basic `client_secret_basic` or form `client_secret_post`). Several are allowed at once so that a secret can be rotated: add the new one, deploy the client, then remove the old one or give it an `expiration`.',
        type: secretsType,
      },
      requireClientSecret: {
        meaning:
          'Whether the client must authenticate with a secret (a confidential client). Set it to `false` for a public client (a single-page or native app that cannot keep a secret); a public client cannot use `client_credentials`.',
      },
      allowedGrantTypes: {
        meaning: `The grant types the client may use at the token endpoint; at least one. See ${link('grant types', 'grant-types')}.`,
        type: `non-empty array of ${link('grant types', 'grant-types')}`,
      },
      redirectUris: {
        meaning:
          'The exact URIs the authorization endpoint may send the user back to, for `authorization_code`. Absolute URIs without a fragment (`#`), compared exactly.',
        type: 'array of absolute URIs',
      },
      postLogoutRedirectUris: { meaning: 'The exact URIs the end-session endpoint may send the user to after sign-out. Absolute URIs without a fragment.', type: 'array of absolute URIs' },
      allowedScopes: {
        meaning:
          'The scopes the client may request. Each must be defined in `apiScopes` or `identityResources`; `offline_access` (refresh tokens) needs no definition. With `client_credentials` and no `scope` parameter, the client gets all its allowed API scopes.',
        type: 'array of scope names',
      },
      requirePkce: { meaning: 'Whether `authorization_code` requests must use PKCE (RFC 7636) with `S256`. Keep it `true`; OAuth 2.1 requires PKCE.' },
      requireConsent: { meaning: 'Whether the user is asked to approve the requested scopes before the client gets them.' },
      allowOfflineAccess: { meaning: 'Whether the client may request `offline_access` and get refresh tokens.' },
      accessTokenType: {
        meaning:
          '`"jwt"`: a signed JWT (RFC 9068) that APIs validate with the published keys. `"reference"`: an opaque handle that APIs check at the introspection endpoint (RFC 7662), which can be revoked at once.',
      },
      accessTokenLifetime: {
        meaning: 'Lifetime of access tokens in seconds (a whole number from 1 to 31536000; duration strings are not accepted here). Signing keys are kept published at least this long after they stop signing.',
      },
      allowPlainTextPkce: { meaning: 'Accept the `plain` PKCE method (RFC 7636 §4.2) besides `S256`. Leave false unless a legacy client cannot hash.' },
      allowRememberConsent: { meaning: 'Whether the consent page offers "Remember my decision"; a remembered consent is asked again only for scopes not yet granted.' },
      consentLifetime: { meaning: 'Seconds a remembered consent lasts; absent: until the user revokes it.', type: 'integer (seconds)', default: 'until revoked' },
      identityTokenLifetime: { meaning: 'Lifetime of ID tokens in seconds.', type: 'integer (seconds)' },
      authorizationCodeLifetime: { meaning: 'Seconds an authorization code can be redeemed (RFC 6749 §4.1.2 recommends at most 10 minutes; one minute is plenty for a redirect).', type: 'integer (seconds)' },
      refreshTokenUsage: { meaning: '`"OneTimeOnly"`: every refresh returns a new refresh token and the used one dies (reuse revokes the whole family, RFC 9700 §4.14.2). `"ReUse"`: the same refresh token is returned each time (confidential clients only; public clients are always rotated).' },
      refreshTokenExpiration: { meaning: '`"Absolute"`: a refresh token family ends `absoluteRefreshTokenLifetime` after the sign-in. `"Sliding"`: each refresh token lasts `slidingRefreshTokenLifetime` from its issue, never past the absolute lifetime.' },
      absoluteRefreshTokenLifetime: { meaning: 'Seconds from the first refresh token of a family after which no refresh works.', type: 'integer (seconds)' },
      slidingRefreshTokenLifetime: { meaning: 'With `"Sliding"` expiration: seconds a refresh token lasts from its issue.', type: 'integer (seconds)' },
      refreshTokenGraceSeconds: { meaning: 'Seconds after a rotation in which the rotated refresh token, sent again (a lost response, two browser tabs), gets the same successor pair instead of tripping reuse detection. 0 (default) is as strict as RFC 9700 asks; 2 to 10 is the recipe for SPAs with several tabs.', type: 'integer (seconds, 0–300)' },
      allowedCorsOrigins: { meaning: 'Origins (`https://app.example.com`, no path or trailing slash) whose pages may call the token, userinfo and revocation endpoints from the browser (CORS).' },
      allowedIdentityTokenSigningAlgorithms: { meaning: 'Algorithms the client accepts for ID tokens, preferred first; each needs a key in `keyManagement.signingAlgorithms`. Empty: the default algorithm.' },
      alwaysIncludeUserClaimsInIdToken: { meaning: 'Put the user claims of the granted identity scopes in the ID token even when an access token is issued (otherwise they come from userinfo, OIDC Core §5.4).' },
      updateAccessTokenClaimsOnRefresh: { meaning: 'Re-read the user\'s claims at each refresh instead of keeping those of the sign-in.' },
      userSsoLifetime: { meaning: 'Seconds after a sign-in after which this client asks the user to sign in again, even if the session lasts longer; absent: the session decides.', type: 'integer (seconds)', default: 'the session\'s lifetime' },
    },
  },
  {
    title: 'Secrets',
    intro:
      'A secret is written either as a string, or as an object when it needs an expiration or a note. The string is the secret itself, or its digest written as `sha256:<base64>` / `sha512:<base64>` (see the formats below). Only digests are stored, as a fast unsalted digest, which is safe for long random secrets only: a plain secret shorter than 16 characters gets a warning at start (`config.short_secrets`, naming its path). Make secrets with `openssl rand -base64 32`.',
    at: ['clients', '[]', 'clientSecrets', '[]'],
    fields: {
      value: { meaning: 'The secret, plain or as `sha256:<base64>` / `sha512:<base64>`.' },
      expiration: {
        meaning: 'An ISO 8601 date-time, e.g. `"2027-01-31T00:00:00Z"`. From then on the secret no longer authenticates; write a zone (`Z` or `+02:00`) to avoid surprises.',
        type: 'string (ISO 8601 date)',
      },
      description: { meaning: 'A note for operators, e.g. where the secret is deployed. Not used by the server.' },
    },
  },
  {
    title: 'apiScopes[]',
    intro: 'An API scope is a permission a client can request for an API, e.g. `invoices.read`. An API resource lists the scopes it accepts.',
    at: ['apiScopes', '[]'],
    fields: {
      name: {
        meaning:
          'The scope name, unique among API scopes and different from every identity resource. Visible ASCII without spaces, `"` or `\\` (RFC 6749 §3.3).',
        type: 'scope name',
      },
      displayName: { meaning: 'A human-readable name, for consent screens.' },
      description: { meaning: 'A longer explanation, for consent screens.' },
      enabled: { meaning: 'A disabled scope is treated as unknown: requesting it fails with `invalid_scope`.' },
      userClaims: { meaning: 'User claims to include in access tokens that carry this scope (for user-based grants).', type: 'array of claim types' },
    },
  },
  {
    title: 'apiResources[]',
    intro:
      'An API resource is an API that receives access tokens. A token carrying one of its scopes gets its `name` in the `aud` claim; a token whose scopes belong to no API resource gets the audience `{issuer}/resources`.',
    at: ['apiResources', '[]'],
    fields: {
      name: {
        meaning:
          'The API identifier, unique among API resources: the `aud` of its tokens and the value of the RFC 8707 `resource` parameter. Use an absolute URI (`https://api.example.com` or `urn:example:invoices`) so that clients can target it with `resource`.',
      },
      displayName: { meaning: 'A human-readable name.' },
      description: { meaning: 'A longer explanation.' },
      enabled: { meaning: 'A disabled API resource is left out of audiences and cannot use the introspection endpoint.' },
      scopes: { meaning: 'The API scopes this API accepts; each must be defined in `apiScopes`.', type: 'array of scope names' },
      apiSecrets: {
        meaning: 'Secrets with which the API authenticates to the introspection endpoint (with its `name` as the user name) to check reference tokens.',
        type: secretsType,
      },
      userClaims: { meaning: 'User claims to include in access tokens for this API (for user-based grants).', type: 'array of claim types' },
      allowedAccessTokenSigningAlgorithms: {
        meaning:
          'The algorithms this API accepts for JWT access tokens; empty means any. Each must be in `keyManagement.signingAlgorithms`. A token for several APIs is signed with the first configured algorithm all of them accept; if there is none the request fails with `invalid_target`.',
        type: `array of ${link('algorithms', 'signing-algorithms')}`,
      },
    },
  },
  {
    title: 'identityResources[]',
    intro: `An identity resource is an OpenID Connect scope that releases claims about the user. Write a ${link('standard name', 'standard-identity-resources')} as a string (\`"openid"\`), or define your own as an object with these fields:`,
    at: ['identityResources', '[]'],
    fields: {
      name: { meaning: 'The scope name, unique among identity resources and different from every API scope.', type: 'scope name' },
      displayName: { meaning: 'A human-readable name, for consent screens.' },
      description: { meaning: 'A longer explanation, for consent screens.' },
      enabled: { meaning: 'A disabled identity resource is treated as unknown.' },
      userClaims: { meaning: 'The user claims this scope releases, e.g. `["tenant", "department"]`.', type: 'array of claim types' },
    },
  },
  {
    title: 'users[]',
    intro: 'Users for interactive sign-in, for development and tests (Duende\'s "test users"). Plain passwords are hashed with argon2id when the server starts.',
    at: ['users', '[]'],
    fields: {
      subjectId: { meaning: 'The stable, unique user identifier: the `sub` claim. Never reuse one.' },
      username: { meaning: 'The sign-in name, unique among users.' },
      password: {
        meaning:
          'The password, or its argon2id hash in PHC format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`, as written by IdProo or the `argon2` tools), which is kept as is. Anything else is taken as a plain password and hashed.',
      },
      enabled: { meaning: 'A disabled user cannot sign in.' },
      claims: {
        meaning: 'Claims about the user, e.g. `{ "name": "Alice Smith", "email": "alice@example.com" }`. Values are strings, numbers, booleans, arrays of strings or objects (e.g. `address`).',
        type: 'object',
      },
    },
  },
  {
    title: 'keyManagement',
    intro:
      'Signing keys are created, rotated and retired automatically (as in Duende\'s automatic key management) and stored encrypted in the database. With R = `rotationInterval` and P = `propagationTime`, a key is published P before it starts signing, signs for R − P, and stays published for `retentionDuration` (at least the longest `accessTokenLifetime` of any client, whether the file or the store holds it) after it stops signing.',
    at: ['keyManagement'],
    fields: {
      signingAlgorithms: {
        meaning: `The algorithms to keep a signing key for; at least one, none twice. The first is the default for tokens. Each may be written as a name or as \`{ "name": "ES256" }\` (Duende's form). See ${link('signing algorithms', 'signing-algorithms')}.`,
        type: `non-empty array of ${link('algorithms', 'signing-algorithms')}`,
      },
      rotationInterval: { meaning: 'How long a key is used: a new key takes over after this.', type: durationType },
      propagationTime: {
        meaning: 'How long a new key is published before it signs, so that APIs caching the key set learn it first. Must be shorter than `rotationInterval`.',
        type: durationType,
      },
      retentionDuration: { meaning: 'How long a retired key stays published, so that tokens it signed still validate.', type: durationType },
      keyCacheDuration: { meaning: 'How often each server re-reads the key set from the database, which bounds how late a server sees keys created by another. When a read fails, the keys read last stay in use (a key still signs until its rotation interval ends) and the read is retried after 1 s, doubling up to a minute.', type: durationType },
    },
  },
  {
    title: 'authentication',
    intro:
      'A sign-in starts a server-side session: the browser keeps only a random handle in an HttpOnly cookie (`__Host-` prefixed and Secure when the issuer is https), the session itself lives in the database, so it survives restarts. Failed sign-ins are counted per account and per client address; past the limit, sign-in is refused (even with the right password) until `lockoutDuration` after the last failure.',
    at: ['authentication'],
    fields: {
      cookieLifetime: { meaning: 'How long a session lasts after the sign-in (Duende\'s default: 10 hours). With "Remember me" the cookie lasts as long; without, it is a browser-session cookie.', type: durationType },
      cookieSlidingExpiration: { meaning: 'Each authorization in the session moves its end to `cookieLifetime` from then.' },
      maxFailedAttemptsPerAccount: { meaning: 'Failed sign-ins for one username (known or not) before sign-in is refused for it.', type: 'integer ≥ 1' },
      maxFailedAttemptsPerIp: { meaning: 'Failed sign-ins from one client address before sign-in from it is refused.', type: 'integer ≥ 1' },
      lockoutDuration: { meaning: 'How long the counts last after the latest failure, and so how long a refusal lasts.', type: durationType },
    },
  },
  {
    title: 'userInteraction',
    intro:
      'With a URL set, the browser goes to your page instead of the built-in one, with `?interaction=ID` (`?logout_id=ID` for sign-out, `?error=…&error_description=…&request_id=…` for errors). Your page reads and finishes the request with the interaction API (`idproo.interactions`, see docs/interaction.md). A URL is a path on this server (`/account/login`) or an absolute http(s) URL.',
    at: ['userInteraction'],
    fields: {
      loginUrl: { meaning: 'Your sign-in page.', type: 'string (path or URL)', default: 'the built-in page' },
      consentUrl: { meaning: 'Your consent page.', type: 'string (path or URL)', default: 'the built-in page' },
      logoutUrl: { meaning: 'Your sign-out confirmation page.', type: 'string (path or URL)', default: 'the built-in page' },
      errorUrl: { meaning: 'Your error page.', type: 'string (path or URL)', default: 'the built-in page' },
      interactionLifetime: { meaning: 'How long a sign-in or consent may take before the request expires and the user starts again from the application.', type: durationType },
    },
  },
  {
    title: 'pages',
    intro: 'The built-in pages speak English and Indonesian, chosen by the request\'s `ui_locales`, then the language the user picked on a page, then the browser\'s Accept-Language, then `defaultLocale`.',
    at: ['pages'],
    fields: {
      defaultLocale: { meaning: '`"en"` or `"id"`.' },
      productName: { meaning: 'The name shown at the top of every page and in its title.' },
      stylesheetUrl: { meaning: 'A CSS file loaded after the built-in one, to restyle the pages: a path on this server or an https URL.', type: 'string (path or https URL)', default: 'none' },
      logoUrl: { meaning: 'An image shown at the top of every page: a path on this server or an https URL.', type: 'string (path or https URL)', default: 'none' },
    },
  },
  {
    title: 'demoRelyingParty',
    intro:
      'Serves a small relying party at `/demo` for trying the server; not for production. `/demo/login` starts a sign-in with code + PKCE as the configured client, `/demo/callback` redeems the code over HTTP, validates the ID token against the published keys, calls userinfo and shows both. The client must be public (`"requireClientSecret": false`) with the redirect URI `{issuer}/demo/callback` (and, for the way back after sign-out, the post-logout redirect URI `{issuer}/demo`); the page says what is missing when it is not. Without this object there are no `/demo` routes. `demo/idproo.json` has it, for `npm start`.',
    at: ['demoRelyingParty'],
    fields: {
      clientId: { meaning: 'The client the demo signs in as; it requests all the client\'s `allowedScopes`.' },
    },
  },
];

const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

const scopePattern = '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$';

/** The schema under optional wrappers and pipes, with the validations of the pipes in order. */
function unwrap(node: SchemaNode): { schema: SchemaNode; actions: SchemaNode[] } {
  if (node.pipe) {
    const inner = unwrap(node.pipe[0]!);
    return { schema: inner.schema, actions: [...inner.actions, ...node.pipe.slice(1)] };
  }
  if (node.type === 'optional') return unwrap(node.wrapped!);
  return { schema: node, actions: [] };
}

/** A short, readable type from a schema. */
function typeOf(node: SchemaNode | undefined): string {
  if (!node) return 'any';
  const { schema, actions } = unwrap(node);
  const requirement = (type: string) => actions.find((action) => action.type === type)?.requirement;
  switch (schema.type) {
    case 'picklist':
      return schema.options!.map((value) => `\`${JSON.stringify(value)}\``).join(' or ');
    case 'union':
      return schema.options!.map((option) => typeOf(option as SchemaNode)).join(' or ');
    case 'array':
      return `${Number(requirement('min_length') ?? 0) > 0 ? 'non-empty ' : ''}array of ${typeOf(schema.item)}`;
    case 'string':
      if ((requirement('regex') as RegExp | undefined)?.source === scopePattern) return 'scope name';
      return Number(requirement('min_length') ?? 0) > 0 ? 'non-empty string' : 'string';
    case 'number': {
      const integer = actions.some((action) => action.type === 'integer' || action.type === 'safe_integer');
      const above = requirement('gt_value') as number | undefined;
      const low = above !== undefined ? above + (integer ? 1 : 0) : (requirement('min_value') as number | undefined);
      const high = requirement('max_value') as number | undefined;
      const range = low !== undefined && high !== undefined ? ` (${low} to ${high})` : '';
      return `${integer ? 'integer' : 'number'}${range}`;
    }
    case 'object':
    case 'record':
      return 'object';
    default:
      return schema.type;
  }
}

function durationText(seconds: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The object schema inside wrappers (optional, pipe), unions (its object member) and arrays (its items). */
function objectIn(node: SchemaNode | undefined, through: 'array' | 'value'): SchemaNode | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'object':
      return through === 'value' ? node : undefined;
    case 'optional':
      return objectIn(node.wrapped, through);
    case 'union':
      return node.options!.map((option) => objectIn(option as SchemaNode, through)).find((found) => found !== undefined);
    case 'array':
      return through === 'array' ? objectIn(node.item, 'value') : undefined;
    default:
      return undefined;
  }
}

/** Walks `at` in the schema, ending at an object. */
function locate(section: Section): SchemaNode {
  let node: SchemaNode | undefined = objectIn(configSchema as unknown as SchemaNode, 'value');
  for (const [i, step] of section.at.entries()) {
    if (step === '[]') continue;
    node = objectIn(node?.entries?.[step], section.at[i + 1] === '[]' ? 'array' : 'value');
  }
  if (!node?.entries) throw new Error(`${section.title}: no object at ${section.at.join('.')}; update scripts/config-reference.ts`);
  return node;
}

/** What the schema yields for a field left out: its default, undefined if optional, or 'required'. */
function defaultOf(field: SchemaNode): { value: unknown } | 'required' {
  const result = v.safeParse(field as unknown as v.GenericSchema, undefined);
  return result.success ? { value: result.output } : 'required';
}

function renderDefault(field: Field, value: unknown): string {
  if (value === undefined) return '—';
  const json = `\`${JSON.stringify(value)}\``;
  return field.type === durationType && typeof value === 'number' ? `${json} (${durationText(value)})` : json;
}

function renderSection(section: Section): string {
  const shape = locate(section).entries!;
  const names = Object.keys(shape);
  const undocumented = names.filter((name) => !(name in section.fields));
  if (undocumented.length > 0) throw new Error(`${section.title}: describe ${undocumented.join(', ')} in scripts/config-reference.ts`);
  const stale = Object.keys(section.fields).filter((name) => !names.includes(name));
  if (stale.length > 0) throw new Error(`${section.title}: ${stale.join(', ')} is no longer in the schema; remove it from scripts/config-reference.ts`);

  const rows = names.map((name) => {
    const field = section.fields[name]!;
    const type = field.type ?? typeOf(shape[name]);
    const fallback = defaultOf(shape[name]!);
    const text = fallback === 'required' ? '**required**' : (field.default ?? renderDefault(field, fallback.value));
    return `| \`${name}\` | ${escapeCell(type)} | ${escapeCell(text)} | ${escapeCell(field.meaning)} |`;
  });
  return [`### ${section.title}`, '', section.intro, '', '| Field | Type | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The generated part of docs/configuration.md, without the markers. */
export function renderReference(): string {
  const parts = sections.map(renderSection);
  parts.push(
    [
      '### Grant types',
      '',
      'The values `allowedGrantTypes` accepts. The token endpoint serves a grant type once IdProo has a handler for it, and answers `unsupported_grant_type` otherwise.',
      '',
      ...knownGrantTypes.map((grant) => `- \`${grant}\``),
    ].join('\n'),
    [
      '### Signing algorithms',
      '',
      'The values `keyManagement.signingAlgorithms` and `apiResources[].allowedAccessTokenSigningAlgorithms` accept:',
      '',
      ...signingAlgorithms.map((alg) => `- \`${alg}\``),
    ].join('\n'),
    [
      '### Standard identity resources',
      '',
      'The names `identityResources` accepts as strings, and the claims each releases (OpenID Connect Core §5.4):',
      '',
      '| Name | Claims |',
      '| --- | --- |',
      ...Object.entries(standardIdentityResources).map(([name, claims]) => `| \`${name}\` | ${claims.map((c) => `\`${c}\``).join(', ')} |`),
    ].join('\n'),
  );
  return `${parts.join('\n\n')}\n`;
}

/** The document with its generated part replaced. */
export function withReference(document: string): string {
  const begin = document.indexOf(beginMarker);
  const end = document.indexOf(endMarker);
  if (begin < 0 || end < begin) throw new Error(`${docFile} must contain the lines ${beginMarker} and ${endMarker}`);
  return `${document.slice(0, begin + beginMarker.length)}\n\n${renderReference()}\n${document.slice(end)}`;
}

if (import.meta.main) {
  const current = readFileSync(docFile, 'utf8');
  const next = withReference(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write(`${docFile} is out of date; run: npm run docs:config\n`);
      process.exitCode = 1;
    }
  } else if (next !== current) {
    writeFileSync(docFile, next);
    process.stdout.write(`updated ${docFile}\n`);
  } else {
    process.stdout.write(`${docFile} is up to date\n`);
  }
}
