import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IdProoEvent } from '../../src/events/events.ts';
import { handleKey } from '../../src/util/crypto.ts';
import { addUsers, alice, codeGrantConfig, issueCode, redeem, redemptionForm, type IssuedCode } from '../support/code-grant.ts';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { assertError, jwtPayload } from './hostile-support.ts';

/**
 * Every way a code redemption can be wrong, pinned by answer: RFC 6749 §5.2 JSON, the right code, and
 * what it leaves behind (a spent code, revoked tokens). docs/errors.md lists each case with its test.
 */

let server: TestServer;
let offsetMs = 0;
let events: IdProoEvent[];
const clock = { now: () => Date.now() + offsetMs };

before(async () => {
  events = [];
  server = await startTestServer({ config: codeGrantConfig(), clock, onEvent: (event) => void events.push(event) });
  await addUsers(server);
});
after(() => server.close());

const stores = () => server.idproo.services.stores;
const ok = async (issued: IssuedCode, headers?: Record<string, string>) => {
  const answer = await redeem(server, redemptionForm(issued), headers);
  assert.equal(answer.status, 200, answer.text);
  return answer.json! as Record<string, string>;
};
const introspect = async (token: string) =>
  (await postForm(`${server.issuer}/connect/introspect`, { token }, { authorization: basic('web', 'web-secret') })).json!['active'];
/** After a failed check the code is spent: the right request fails too (and revokes nothing it did not issue). */
const assertSpent = async (issued: IssuedCode) => assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');

describe('code grant errors: parameters (RFC 6749 §4.1.3, §3.2)', () => {
  it('a missing code → 400 invalid_request', async () => {
    assertError(await redeem(server, { grant_type: 'authorization_code', redirect_uri: 'https://app.example.com/cb' }), 400, 'invalid_request');
  });

  it('a missing redirect_uri → 400 invalid_request, and the code is not spent', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued, { redirect_uri: undefined })), 400, 'invalid_request');
    await ok(issued);
  });

  for (const name of ['code', 'redirect_uri', 'code_verifier']) {
    it(`a duplicated ${name} → 400 invalid_request, and the code is not spent`, async () => {
      const issued = await issueCode(server);
      const form = new URLSearchParams(redemptionForm(issued));
      form.append(name, form.get(name)!);
      assertError(await redeem(server, form.toString()), 400, 'invalid_request');
      await ok(issued);
    });
  }

  it('an unknown code → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued, { code: `${issued.code}x` })), 400, 'invalid_grant');
  });

  it('a code of 60 KB → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued, { code: 'c'.repeat(60_000) })), 400, 'invalid_grant');
  });

  it('a client not registered for authorization_code → 400 unauthorized_client', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued), { authorization: basic('service', 'service-secret') }), 400, 'unauthorized_client');
  });

  it('a confidential client sending client_id only → 401 invalid_client', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, { ...redemptionForm(issued), client_id: 'web' }, {}), 401, 'invalid_client');
  });
});

describe('code grant errors: redirect_uri must be identical (RFC 6749 §4.1.3)', () => {
  const variants: [string, string][] = [
    ['a trailing slash', 'https://app.example.com/cb/'],
    ['the path in upper case', 'https://app.example.com/CB'],
    ['the host in upper case', 'https://APP.example.com/cb'],
    ['an extra query (itself registered)', 'https://app.example.com/cb?tenant=a'],
    ['an empty query', 'https://app.example.com/cb?'],
    ['an empty fragment', 'https://app.example.com/cb#'],
    ['the default port spelled out', 'https://app.example.com:443/cb'],
    ['http instead of https', 'http://app.example.com/cb'],
    ['a percent-encoded path', 'https://app.example.com/%63b'],
  ];
  for (const [what, value] of variants) {
    it(`redirect_uri with ${what} → 400 invalid_grant, and the code is spent`, async () => {
      const issued = await issueCode(server);
      const body = assertError(await redeem(server, redemptionForm(issued, { redirect_uri: value })), 400, 'invalid_grant');
      assert.match(String(body['error_description']), /redirect_uri/);
      await assertSpent(issued);
    });
  }
});

describe('code grant errors: PKCE (RFC 7636 §4.6, RFC 9700 §2.1.1)', () => {
  it('a wrong verifier → 400 invalid_grant, and the code is spent', async () => {
    const issued = await issueCode(server);
    const wrong = `${issued.verifier!.slice(0, -1)}${issued.verifier!.endsWith('A') ? 'B' : 'A'}`;
    assertError(await redeem(server, redemptionForm(issued, { code_verifier: wrong })), 400, 'invalid_grant');
    await assertSpent(issued);
  });

  it('a missing verifier when the code has a challenge → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued, { code_verifier: undefined })), 400, 'invalid_grant');
  });

  it('the challenge itself sent as the verifier of an S256 code → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, redemptionForm(issued, { code_verifier: issued.data.codeChallenge })), 400, 'invalid_grant');
  });

  const malformed: [string, string][] = [
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a "+"', `${'a'.repeat(42)}+`],
    ['a "="', `${'a'.repeat(42)}=`],
    ['a space', `${'a'.repeat(21)} ${'a'.repeat(21)}`],
    ['a non-ASCII character', `${'a'.repeat(42)}é`],
  ];
  for (const [what, verifier] of malformed) {
    it(`a malformed verifier (${what}) → 400 invalid_request, and the code is not spent`, async () => {
      const issued = await issueCode(server);
      assertError(await redeem(server, redemptionForm(issued, { code_verifier: verifier })), 400, 'invalid_request');
      await ok(issued);
    });
  }

  it('a verifier when the authorization request had no challenge (PKCE downgrade) → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { clientId: 'web-no-pkce', pkce: false });
    const answer = await redeem(server, redemptionForm(issued, { code_verifier: 'a'.repeat(43) }), { authorization: basic('web-no-pkce', 'web-no-pkce-secret') });
    assertError(answer, 400, 'invalid_grant');
  });

  it('a code without PKCE for a client that requires it → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { pkce: false });
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
  });

  it('a plain challenge for a client not allowed plain → 400 invalid_grant', async () => {
    const verifier = 'p'.repeat(43);
    const issued = await issueCode(server, { codeChallenge: verifier, codeChallengeMethod: 'plain' });
    assertError(await redeem(server, redemptionForm(issued, { code_verifier: verifier })), 400, 'invalid_grant');
  });

  it('a wrong plain verifier → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { clientId: 'web-plain', codeChallenge: 'p'.repeat(43), codeChallengeMethod: 'plain' });
    const answer = await redeem(server, redemptionForm(issued, { code_verifier: 'q'.repeat(43) }), { authorization: basic('web-plain', 'web-plain-secret') });
    assertError(answer, 400, 'invalid_grant');
  });

  it('a public client whose code has no challenge → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { clientId: 'spa', pkce: false });
    assertError(await redeem(server, { ...redemptionForm(issued), client_id: 'spa' }, {}), 400, 'invalid_grant');
  });

  it('a public client without the verifier → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { clientId: 'spa' });
    assertError(await redeem(server, { ...redemptionForm(issued, { code_verifier: undefined }), client_id: 'spa' }, {}), 400, 'invalid_grant');
  });
});

describe('code grant errors: whose code (RFC 6749 §4.1.3, §10.5)', () => {
  it("another client's code → 400 invalid_grant, told no more than for an unknown code", async () => {
    const issued = await issueCode(server);
    const stolen = assertError(await redeem(server, redemptionForm(issued), { authorization: basic('web-claims', 'web-claims-secret') }), 400, 'invalid_grant');
    const unknown = assertError(await redeem(server, redemptionForm(issued, { code: 'no-such-code' })), 400, 'invalid_grant');
    assert.equal(stolen['error_description'], unknown['error_description']);
  });

  it("a confidential client's code presented by a public client → 400 invalid_grant", async () => {
    const issued = await issueCode(server);
    assertError(await redeem(server, { ...redemptionForm(issued), client_id: 'spa' }, {}), 400, 'invalid_grant');
  });

  it('a reference access token presented as a code → 400 invalid_grant', async () => {
    const reference = await ok(await issueCode(server, { clientId: 'web-reference' }), { authorization: basic('web-reference', 'web-reference-secret') });
    const issued = await issueCode(server);
    const answer = await redeem(server, redemptionForm(issued, { code: reference['access_token']! }), { authorization: basic('web-reference', 'web-reference-secret') });
    assertError(answer, 400, 'invalid_grant');
    const after = await postForm(`${server.issuer}/connect/introspect`, { token: reference['access_token']! }, { authorization: basic('web-reference', 'web-reference-secret') });
    assert.equal(after.json!['active'], true, 'the reference token still works');
  });

  it('an expired code → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    offsetMs += 61_000;
    try {
      assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
    } finally {
      offsetMs -= 61_000;
    }
  });

  it('a code whose user was disabled since → 400 invalid_grant', async () => {
    const bob = { ...alice, subjectId: 'bob-sub', username: 'bob', enabled: false };
    await stores().users.saveUser(bob);
    const issued = await issueCode(server, { subjectId: 'bob-sub' });
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
  });

  it('a code whose user was removed since → 400 invalid_grant', async () => {
    const issued = await issueCode(server, { subjectId: 'nobody-sub' });
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
  });
});

describe('code grant errors: a code used twice (RFC 6749 §4.1.2)', () => {
  it('a replayed code → 400 invalid_grant, and the JWT access token it issued is revoked', async () => {
    const issued = await issueCode(server);
    const first = await ok(issued);
    assert.equal(await introspect(first['access_token']!), true);
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
    assert.equal(await introspect(first['access_token']!), false);
    assert.equal(await stores().revocations.isTokenRevoked(jwtPayload(first['access_token']!)['jti'] as string), true, 'on the revocation list');
    const event = events.find((e) => e.type === 'authorization_code.replayed' && e.clientId === 'web');
    assert.ok(event, 'authorization_code.replayed was raised');
  });

  it('a replayed code → 400 invalid_grant, and the reference access token it issued is removed', async () => {
    const auth = { authorization: basic('web-reference', 'web-reference-secret') };
    const issued = await issueCode(server, { clientId: 'web-reference' });
    const first = await ok(issued, auth);
    const key = handleKey(first['access_token']!);
    assert.ok(await stores().grants.getGrant(key));
    assertError(await redeem(server, redemptionForm(issued), auth), 400, 'invalid_grant');
    assert.equal(await stores().grants.getGrant(key), undefined, 'the family is removed');
    const answer = await postForm(`${server.issuer}/connect/introspect`, { token: first['access_token']! }, auth);
    assert.deepEqual(answer.json, { active: false });
  });

  it('a code replayed by another client → 400 invalid_grant, and the owner’s token stays valid (OAuth 2.1 §7.5.2)', async () => {
    const issued = await issueCode(server);
    const first = await ok(issued);
    assertError(await redeem(server, redemptionForm(issued), { authorization: basic('web-claims', 'web-claims-secret') }), 400, 'invalid_grant');
    assert.equal(await introspect(first['access_token']!), true);
  });

  it('a third use → 400 invalid_grant', async () => {
    const issued = await issueCode(server);
    await ok(issued);
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
    assertError(await redeem(server, redemptionForm(issued)), 400, 'invalid_grant');
  });

  for (const [clientId, format] of [['web', 'JWT'], ['web-reference', 'reference']] as const) {
    it(`20 concurrent redemptions of one code (${format}) → exactly one 200, and its token is revoked by the others`, async () => {
      const auth = { authorization: basic(clientId, `${clientId}-secret`) };
      const issued = await issueCode(server, { clientId });
      const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(server, redemptionForm(issued), auth)));
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, answers.map((a) => a.status).join(','));
      for (const loser of answers.filter((a) => a.status !== 200)) assertError(loser, 400, 'invalid_grant');
      const answer = await postForm(`${server.issuer}/connect/introspect`, { token: String(winners[0]!.json!['access_token']) }, auth);
      assert.deepEqual(answer.json, { active: false });
    });
  }
});
