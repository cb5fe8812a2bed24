import { hash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { IdProoConfigInput } from '../../src/config/schema.ts';
import type { User } from '../../src/stores/types.ts';
import { storeAuthorizationCode, type AuthorizationCodeData } from '../../src/tokens/authorization-code.ts';
import { basic, postForm, testConfig, type TestServer } from './server.ts';

/*
 * Until the authorization endpoint exists, a test plays its part: it stores a code with
 * storeAuthorizationCode, as the endpoint will once the user has signed in and consented, and the
 * client redeems it at the real token endpoint.
 */

export const redirectUri = 'https://app.example.com/cb';
export const webAuth = basic('web', 'web-secret');

type ClientInput = NonNullable<IdProoConfigInput['clients']>[number];

const userClients = ['web', 'web-reference', 'web-claims', 'web-plain', 'web-no-pkce', 'web-offline', 'web-es256'] as const;

/**
 * testConfig() plus what a user's sign-in needs: identity resources, APIs that release user claims, and
 * authorization code clients `web` (JWT), `web-reference`, `web-claims` (alwaysIncludeUserClaimsInIdToken),
 * `web-plain` (allowPlainTextPkce), `web-no-pkce` (requirePkce false), `web-offline` (allowOfflineAccess),
 * `web-es256` (ES256 ID tokens), each with secret `<id>-secret`, and the public client `spa`.
 */
export function codeGrantConfig(): IdProoConfigInput {
  const base = testConfig();
  const scopes = ['openid', 'profile', 'email', 'invoices.read', 'orders', 'offline_access'];
  const client = (clientId: string, extra: Partial<ClientInput> = {}): ClientInput => ({
    clientId,
    clientSecrets: [`${clientId}-secret`],
    allowedGrantTypes: ['authorization_code'],
    redirectUris: [redirectUri, 'https://app.example.com/cb?tenant=a'],
    allowedScopes: scopes,
    ...extra,
  });
  return {
    ...base,
    identityResources: ['openid', 'profile', 'email'],
    apiScopes: [{ name: 'invoices.read', userClaims: ['role'] }, { name: 'invoices.write' }, { name: 'orders' }],
    apiResources: [
      { name: 'urn:invoices', scopes: ['invoices.read', 'invoices.write'], apiSecrets: ['invoices-secret'], userClaims: ['email'] },
      { name: 'https://orders.example.com', scopes: ['orders'], apiSecrets: ['orders-secret'], allowedAccessTokenSigningAlgorithms: ['ES256'] },
    ],
    clients: [
      ...(base.clients ?? []),
      client('web'),
      client('web-reference', { accessTokenType: 'reference' }),
      client('web-claims', { alwaysIncludeUserClaimsInIdToken: true }),
      client('web-plain', { allowPlainTextPkce: true }),
      client('web-no-pkce', { requirePkce: false }),
      client('web-offline', { allowOfflineAccess: true }),
      client('web-es256', { allowedIdentityTokenSigningAlgorithms: ['ES256'] }),
      { clientId: 'spa', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], redirectUris: [redirectUri], allowedScopes: scopes },
    ],
  };
}

export const clientSecret = (clientId: (typeof userClients)[number]): string => `${clientId}-secret`;

export const alice: User = {
  subjectId: 'alice-sub',
  username: 'alice',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
  enabled: true,
  claims: { name: 'Alice Liddell', given_name: 'Alice', email: 'alice@example.com', email_verified: true, role: 'accountant', website: 'https://alice.example' },
};

/** Saves alice (and any others) into the server's user store. */
export async function addUsers(server: TestServer, ...users: User[]): Promise<void> {
  for (const user of [alice, ...users]) await server.idproo.services.stores.users.saveUser(user);
}

/** A fresh RFC 7636 §4.1 verifier (43 characters) and its S256 challenge (§4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: hash('sha256', verifier, 'base64url') };
}

export interface IssuedCode {
  readonly code: string;
  /** The verifier matching the stored challenge; undefined when the code has none. */
  readonly verifier: string | undefined;
  readonly data: AuthorizationCodeData;
}

/** Stores a code as the authorization endpoint would after sign-in and consent: S256 PKCE, alice, openid profile invoices.read. */
export async function issueCode(server: TestServer, overrides: Partial<AuthorizationCodeData> & { readonly pkce?: false } = {}): Promise<IssuedCode> {
  const { pkce: usePkce, ...rest } = overrides;
  const pair = pkcePair();
  const services = server.idproo.services;
  const now = services.clock.now();
  const data: AuthorizationCodeData = {
    clientId: 'web',
    redirectUri,
    ...(usePkce === false ? {} : { codeChallenge: pair.challenge, codeChallengeMethod: 'S256' as const }),
    scopes: ['openid', 'profile', 'invoices.read'],
    nonce: `n-${randomBytes(8).toString('hex')}`,
    subjectId: alice.subjectId,
    sessionId: `sid-${randomBytes(8).toString('hex')}`,
    authTime: Math.floor(now / 1000) - 30,
    amr: ['pwd'],
    acr: 'urn:idproo:loa:1',
    accessTokenJti: randomBytes(16).toString('base64url'),
    ...rest,
  };
  const client = await services.stores.clients.findClientById(data.clientId);
  if (!client) throw new TypeError(`no client ${data.clientId} in the test configuration`);
  const code = await storeAuthorizationCode(data, client, now, services.stores.grants);
  return { code, verifier: usePkce === false ? undefined : pair.verifier, data };
}

/** A raw token request redeeming a code, `web`'s Basic credentials unless other headers are given. */
export const redeem = (server: TestServer, body: string | Record<string, string>, headers: Record<string, string> = { authorization: webAuth }) =>
  postForm(`${server.issuer}/connect/token`, body, headers);

/** The usual redemption form of an issued code, with fields replaced or (undefined) removed. */
export function redemptionForm(issued: IssuedCode, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const form: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: issued.data.redirectUri,
    code_verifier: issued.verifier,
    ...changes,
  };
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** An openid-client Configuration for `clientId` from the provider's discovery document (plain HTTP allowed for 127.0.0.1). */
export function relyingParty(server: TestServer, clientId: string, auth: oidc.ClientAuth, metadata: Partial<oidc.ClientMetadata> = {}): oidc.Configuration {
  // Discovery does not list the UserInfo endpoint yet; the test supplies it where it is served.
  const serverMetadata = { userinfo_endpoint: `${server.issuer}/connect/userinfo`, ...server.idproo.discovery, issuer: server.issuer } as oidc.ServerMetadata;
  const config = new oidc.Configuration(serverMetadata, clientId, metadata, auth);
  oidc.allowInsecureRequests(config);
  return config;
}

/** Tokens for alice from a freshly stored code, redeemed with raw form posts (by `web` unless the code says otherwise). */
export async function userTokens(server: TestServer, overrides: Partial<AuthorizationCodeData> = {}): Promise<Record<string, string>> {
  const issued = await issueCode(server, overrides);
  const answer = await redeem(server, redemptionForm(issued), { authorization: basic(issued.data.clientId, `${issued.data.clientId}-secret`) });
  if (answer.status !== 200) throw new Error(`redemption failed: ${answer.text}`);
  return answer.json as Record<string, string>;
}

/** Where the browser lands after the authorization endpoint: the redirect URI with `code` and RFC 9207 `iss`. */
export function callbackUrl(server: TestServer, issued: IssuedCode): URL {
  const url = new URL(issued.data.redirectUri);
  url.searchParams.set('code', issued.code);
  url.searchParams.set('iss', server.issuer);
  return url;
}
