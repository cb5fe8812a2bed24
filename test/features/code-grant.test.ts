import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import type { IdProoEvent } from '../../src/events/events.ts';
import { handleKey } from '../../src/util/crypto.ts';
import {
  addUsers,
  alice,
  callbackUrl,
  clientSecret,
  codeGrantConfig,
  issueCode,
  redeem,
  redemptionForm,
  relyingParty,
  type IssuedCode,
} from '../support/code-grant.ts';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3) redeemed by
 * openid-client v6 as an application would; codes are stored the way the authorization endpoint will.
 */

let server: TestServer;
let events: IdProoEvent[];
let jwks: ReturnType<typeof createRemoteJWKSet>;

before(async () => {
  events = [];
  server = await startTestServer({ config: codeGrantConfig(), onEvent: (event) => void events.push(event) });
  await addUsers(server);
  jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/openid-configuration/jwks`));
});
after(() => server.close());

/** OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token's ASCII octets. */
const atHash = (accessToken: string, algorithm: 'sha256' | 'sha512' = 'sha256'): string => {
  const digest = hash(algorithm, accessToken, 'buffer');
  return digest.subarray(0, digest.length / 2).toString('base64url');
};

async function redeemWithOpenIdClient(issued: IssuedCode, clientId = 'web', metadata: Partial<oidc.ClientMetadata> = {}) {
  const auth = clientId === 'spa' ? oidc.None() : oidc.ClientSecretBasic(clientSecret(clientId as Parameters<typeof clientSecret>[0]));
  const config = relyingParty(server, clientId, auth, metadata);
  return oidc.authorizationCodeGrant(config, callbackUrl(server, issued), {
    ...(issued.verifier === undefined ? {} : { pkceCodeVerifier: issued.verifier }),
    ...(issued.data.nonce === undefined ? {} : { expectedNonce: issued.data.nonce }),
    idTokenExpected: issued.data.scopes.includes('openid'),
  });
}

const verifyIdToken = (idToken: string, clientId = 'web', algorithms = ['RS256']) =>
  jwtVerify(idToken, jwks, { issuer: server.issuer, audience: clientId, typ: 'JWT', algorithms });

const verifyAccessToken = (accessToken: string, audience: string, algorithms = ['RS256']) =>
  jwtVerify(accessToken, jwks, { issuer: server.issuer, audience, typ: 'at+jwt', algorithms });

describe('authorization code grant: the token response', () => {
  it('openid-client redeems a code with S256 PKCE and gets an access token and an ID token', async () => {
    const issued = await issueCode(server);
    const tokens = await redeemWithOpenIdClient(issued);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.id_token, 'string');
    assert.equal(tokens.refresh_token, undefined, 'no offline_access, no refresh token');
    assert.equal(tokens.scope, 'openid profile invoices.read', 'every granted scope, identity ones included (like Duende)');
    assert.equal(tokens.claims()?.sub, alice.subjectId);
  });

  it('the token response is JSON and not cacheable (RFC 6749 §5.1)', async () => {
    const issued = await issueCode(server);
    const answer = await redeem(server, redemptionForm(issued));
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('pragma'), 'no-cache');
    assert.deepEqual(Object.keys(answer.json!).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    assert.equal(answer.json!['token_type'], 'Bearer');
  });

  it('client_secret_post authenticates the client as well as Basic does', async () => {
    const issued = await issueCode(server);
    const answer = await redeem(server, { ...redemptionForm(issued), client_id: 'web', client_secret: 'web-secret' }, {});
    assert.equal(answer.status, 200, answer.text);
  });
});

describe('authorization code grant: the ID token (OIDC Core §2, §3.1.3.6)', () => {
  it('verifies against the JWKS and carries iss, aud, sub, exp, iat, auth_time, nonce, sid, amr, acr and a correct at_hash', async () => {
    const issued = await issueCode(server);
    const tokens = await redeemWithOpenIdClient(issued);
    const { payload, protectedHeader } = await verifyIdToken(tokens.id_token!);
    assert.equal(protectedHeader.alg, 'RS256', 'RS256 by default (oidcc-idtoken-signature)');
    assert.ok(protectedHeader.kid, 'a kid found in the JWKS');
    assert.equal(payload.iss, server.issuer);
    assert.equal(payload.aud, 'web');
    assert.equal(payload.sub, alice.subjectId);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(payload.iat! - now) <= 5, 'iat is now');
    assert.equal(payload.exp! - payload.iat!, 300, "the client's identityTokenLifetime");
    assert.equal(payload['auth_time'], issued.data.authTime);
    assert.equal(payload['nonce'], issued.data.nonce);
    assert.equal(payload['sid'], issued.data.sessionId);
    assert.deepEqual(payload['amr'], ['pwd']);
    assert.equal(payload['acr'], 'urn:idproo:loa:1');
    assert.equal(payload['at_hash'], atHash(tokens.access_token));
  });

  it('carries no user claims by default: with an access token they come from UserInfo (OIDC Core §5.4)', async () => {
    const tokens = await redeemWithOpenIdClient(await issueCode(server, { scopes: ['openid', 'profile', 'email'] }));
    const { payload } = await verifyIdToken(tokens.id_token!);
    for (const claim of ['name', 'given_name', 'website', 'email', 'email_verified', 'role']) assert.equal(payload[claim], undefined, claim);
  });

  it('carries the claims of the granted identity scopes when the client has alwaysIncludeUserClaimsInIdToken', async () => {
    const tokens = await redeemWithOpenIdClient(await issueCode(server, { clientId: 'web-claims' }), 'web-claims');
    const { payload } = await verifyIdToken(tokens.id_token!, 'web-claims');
    assert.equal(payload['name'], 'Alice Liddell');
    assert.equal(payload['given_name'], 'Alice');
    assert.equal(payload['website'], 'https://alice.example');
    assert.equal(payload['email'], undefined, 'email was not granted');
    assert.equal(payload['role'], undefined, 'an API claim, not an identity one');
    assert.equal(payload.sub, alice.subjectId, 'protocol claims win over user claims');
  });

  it('has no nonce when the authorization request had none', async () => {
    const issued = await issueCode(server, { nonce: undefined });
    const tokens = await redeemWithOpenIdClient(issued);
    const { payload } = await verifyIdToken(tokens.id_token!);
    assert.equal('nonce' in payload, false);
  });

  it('is signed with the algorithm the client allows (ES256), at_hash still from SHA-256', async () => {
    const tokens = await redeemWithOpenIdClient(await issueCode(server, { clientId: 'web-es256' }), 'web-es256', { id_token_signed_response_alg: 'ES256' });
    const { payload, protectedHeader } = await verifyIdToken(tokens.id_token!, 'web-es256', ['ES256']);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload['at_hash'], atHash(tokens.access_token));
  });

  it('is not issued without the openid scope', async () => {
    const issued = await issueCode(server, { scopes: ['invoices.read'] });
    const answer = await redeem(server, redemptionForm(issued));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json!['id_token'], undefined);
    assert.equal(answer.json!['scope'], 'invoices.read');
  });
});

describe('authorization code grant: the access token (RFC 9068)', () => {
  let payload: JWTPayload;
  let issued: IssuedCode;
  before(async () => {
    issued = await issueCode(server, { scopes: ['openid', 'profile', 'invoices.read'] });
    const tokens = await redeemWithOpenIdClient(issued);
    payload = (await verifyAccessToken(tokens.access_token, 'urn:invoices')).payload;
  });

  it('is for the user, from this sign-in and session, with the jti the code recorded', () => {
    assert.equal(payload.sub, alice.subjectId);
    assert.equal(payload['client_id'], 'web');
    assert.equal(payload['auth_time'], issued.data.authTime);
    assert.equal(payload['sid'], issued.data.sessionId);
    assert.equal(payload.jti, issued.data.accessTokenJti);
  });

  it('lists the identity scopes with the API scopes, so UserInfo can tell what it may release', () => {
    assert.equal(payload['scope'], 'openid profile invoices.read');
  });

  it("carries the user's claims its API resource and API scopes ask for, and no others", () => {
    assert.equal(payload['email'], 'alice@example.com', 'urn:invoices userClaims');
    assert.equal(payload['role'], 'accountant', 'invoices.read userClaims');
    assert.equal(payload['name'], undefined);
  });

  it("is signed with an algorithm every audience accepts, and narrowed to the code's resources (RFC 8707)", async () => {
    const orders = await redeemWithOpenIdClient(await issueCode(server, { scopes: ['openid', 'orders'] }));
    const { payload: forOrders, protectedHeader } = await verifyAccessToken(orders.access_token, 'https://orders.example.com', ['ES256']);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(forOrders['scope'], 'openid orders');

    const narrowed = await redeemWithOpenIdClient(await issueCode(server, { scopes: ['openid', 'invoices.read', 'orders'], resources: ['urn:invoices'] }));
    const { payload: forInvoices } = await verifyAccessToken(narrowed.access_token, 'urn:invoices');
    assert.equal(forInvoices.aud, 'urn:invoices');
    assert.equal(forInvoices['scope'], 'openid invoices.read');
    assert.equal(narrowed.scope, 'openid invoices.read');
  });

  it('is a reference token for a reference client, introspected as the user’s', async () => {
    const tokens = await redeemWithOpenIdClient(await issueCode(server, { clientId: 'web-reference' }), 'web-reference');
    assert.doesNotMatch(tokens.access_token, /\./);
    const stored = await server.idproo.services.stores.grants.getGrant(handleKey(tokens.access_token));
    assert.ok(stored?.familyId, 'the reference token joins the code’s family');
    const answer = await postForm(`${server.issuer}/connect/introspect`, { token: tokens.access_token }, { authorization: basic('urn:invoices', 'invoices-secret') });
    assert.equal(answer.json!['active'], true);
    assert.equal(answer.json!['sub'], alice.subjectId);
  });

  it('raises token.issued for the authorization_code grant with the subject', async () => {
    const issuedNow = await issueCode(server);
    await redeemWithOpenIdClient(issuedNow);
    const event = events.find((e) => e.type === 'token.issued' && e.jti === issuedNow.data.accessTokenJti);
    assert.ok(event?.type === 'token.issued');
    assert.equal(event.grantType, 'authorization_code');
    assert.equal(event.subjectId, alice.subjectId);
  });
});

describe('authorization code grant: PKCE and client kinds', () => {
  it('a public client (client_id only) redeems a code it requested with PKCE', async () => {
    const tokens = await redeemWithOpenIdClient(await issueCode(server, { clientId: 'spa' }), 'spa');
    assert.equal(typeof tokens.access_token, 'string');
    const { payload } = await verifyIdToken(tokens.id_token!, 'spa');
    assert.equal(payload.sub, alice.subjectId);
  });

  it('plain PKCE works for a client allowed it, the verifier being the challenge (RFC 7636 §4.2)', async () => {
    const verifier = 'a'.repeat(43);
    const issued = await issueCode(server, { clientId: 'web-plain', codeChallenge: verifier, codeChallengeMethod: 'plain' });
    const answer = await redeem(server, redemptionForm(issued, { code_verifier: verifier }), { authorization: basic('web-plain', 'web-plain-secret') });
    assert.equal(answer.status, 200, answer.text);
  });

  it('a confidential client that does not require PKCE redeems a code without it', async () => {
    const issued = await issueCode(server, { clientId: 'web-no-pkce', pkce: false });
    const answer = await redeem(server, redemptionForm(issued), { authorization: basic('web-no-pkce', 'web-no-pkce-secret') });
    assert.equal(answer.status, 200, answer.text);
  });

  it('a verifier of 128 characters, every unreserved character among them, is accepted (RFC 7636 §4.1)', async () => {
    const verifier = `${'A-._~z9'.repeat(18)}ab`;
    assert.equal(verifier.length, 128);
    const issued = await issueCode(server, { codeChallenge: hash('sha256', verifier, 'base64url') });
    const answer = await redeem(server, redemptionForm(issued, { code_verifier: verifier }));
    assert.equal(answer.status, 200, answer.text);
  });
});

describe('authorization code grant: offline_access (OIDC Core §11)', () => {
  it('gives no refresh token to a client not allowed offline access, and does not list offline_access', async () => {
    const issued = await issueCode(server, { scopes: ['openid', 'invoices.read', 'offline_access'] });
    const answer = await redeem(server, redemptionForm(issued));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json!['refresh_token'], undefined);
    assert.equal(answer.json!['scope'], 'openid invoices.read');
  });

  it('gives a refresh token to a client allowed offline access', async () => {
    const issued = await issueCode(server, { clientId: 'web-offline', scopes: ['openid', 'invoices.read', 'offline_access'] });
    const answer = await redeem(server, redemptionForm(issued), { authorization: basic('web-offline', 'web-offline-secret') });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(typeof answer.json!['refresh_token'], 'string');
    assert.equal(answer.json!['scope'], 'openid invoices.read offline_access');
  });
});
