import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { TestBrowser, submitLogin } from './browser.ts';
import type { IdProoConfigInput } from '../../src/config/schema.ts';

export const alice = { username: 'alice', password: 'correct horse battery', subjectId: 'alice-1' };
export const bob = { username: 'bob', password: 'bob password 1234', subjectId: 'bob-2' };

/** Users, identity resources and interactive clients: a confidential web app, a public SPA that asks consent, a native app. */
export const interactiveConfig = (overrides: { clients?: IdProoConfigInput['clients']; authentication?: IdProoConfigInput['authentication'] } = {}): IdProoConfigInput => ({
  keyManagement: { signingAlgorithms: ['RS256', 'ES256'] },
  identityResources: ['openid', 'profile', 'email'],
  apiScopes: [{ name: 'invoices.read', displayName: 'Read your invoices', userClaims: ['email'] }],
  apiResources: [{ name: 'urn:invoices', scopes: ['invoices.read'], apiSecrets: ['invoices-api-secret'] }],
  users: [
    { subjectId: alice.subjectId, username: alice.username, password: alice.password, claims: { name: 'Alice Example', email: 'alice@example.com', email_verified: true } },
    { subjectId: bob.subjectId, username: bob.username, password: bob.password, claims: { name: 'Bob Example' } },
  ],
  ...(overrides.authentication === undefined ? {} : { authentication: overrides.authentication }),
  clients: overrides.clients ?? [
    {
      clientId: 'web',
      clientName: 'Web App',
      clientSecrets: ['web-secret-that-is-long'],
      allowedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example.com/cb', 'https://app.example.com/cb?tenant=1'],
      postLogoutRedirectUris: ['https://app.example.com/signed-out'],
      allowedScopes: ['openid', 'profile', 'email', 'invoices.read'],
      allowOfflineAccess: true,
    },
    {
      clientId: 'second',
      clientName: 'Second App',
      clientSecrets: ['second-secret-that-is-long'],
      allowedGrantTypes: ['authorization_code'],
      redirectUris: ['https://second.example.com/cb'],
      allowedScopes: ['openid', 'profile'],
    },
    {
      clientId: 'spa',
      clientName: 'Single Page App',
      requireClientSecret: false,
      requireConsent: true,
      allowedGrantTypes: ['authorization_code'],
      redirectUris: ['https://spa.example.com/cb'],
      allowedScopes: ['openid', 'profile', 'email', 'invoices.read'],
    },
    {
      clientId: 'native',
      requireClientSecret: false,
      allowedGrantTypes: ['authorization_code'],
      redirectUris: ['http://127.0.0.1/callback'],
      allowedScopes: ['openid'],
    },
  ],
});

/** An RFC 7636 verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization request URL for `clientId` with PKCE, `state` and `nonce`. */
export function authorizeUrl(issuer: string, params: Record<string, string>): string {
  return `${issuer}/connect/authorize?${new URLSearchParams({ response_type: 'code', ...params })}`;
}

/** A browser in which alice has signed in through `authorizationUrl` (the client got its code). */
export async function signedInBrowser(issuer: string, authorizationUrl: string): Promise<TestBrowser> {
  const browser = new TestBrowser(issuer);
  const login = await browser.navigate(authorizationUrl);
  const done = await submitLogin(browser, login, alice.username, alice.password);
  assert.ok(new URL(done.location!).searchParams.get('code'), `expected a code, got ${done.status} ${done.location ?? ''}`);
  return browser;
}
