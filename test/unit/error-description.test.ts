import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAuthError } from '../../src/errors/oauth-error.ts';
import { bearerChallenge, jsonErrors } from '../../src/errors/error-response.ts';
import { failureResponse } from '../../src/http/write.ts';
import { silentLogger } from '../../src/util/logger.ts';

describe('error bodies (RFC 6749 §5.2)', () => {
  it('error_description keeps to the allowed characters and a bounded length, whatever the request quoted', () => {
    const body = JSON.parse(String(jsonErrors()(new OAuthError('unsupported_grant_type', `the grant type "x"\\\n\t\u00e9${'a'.repeat(1000)} is not supported`)).body));
    assert.match(body.error_description, /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
    assert.ok(body.error_description.length <= 300);
    assert.deepEqual(Object.keys(body), ['error', 'error_description']);
  });

  it('an unexpected error becomes server_error with the request id and no internals', () => {
    const response = failureResponse(new Error('SQLITE_BUSY at /work/secret/path'), 'req-123', silentLogger);
    assert.equal(response.status, 500);
    const body = JSON.parse(String(response.body));
    assert.equal(body.error, 'server_error');
    assert.match(body.error_description, /req-123/);
    assert.doesNotMatch(String(response.body), /SQLITE|secret|at \//);
  });

  it('every 401 carries a WWW-Authenticate challenge (RFC 7235 §3.1)', () => {
    const response = jsonErrors()(new OAuthError('invalid_client', 'client authentication failed'));
    assert.equal(response.status, 401);
    assert.match(String(response.headers['www-authenticate']), /^Basic /);
  });
});

describe('error presenters', () => {
  it('a Bearer route answers 401 invalid_token with an RFC 6750 §3 challenge carrying the code and description', () => {
    const response = jsonErrors(bearerChallenge)(new OAuthError('invalid_token', 'the access token "x" is \\ expired'));
    assert.equal(response.status, 401);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="idproo", error="invalid_token", error_description="the access token ?x? is ? expired"');
  });

  it('a Bearer route answers 403 insufficient_scope with a challenge too, and nothing else with one', () => {
    const forbidden = jsonErrors(bearerChallenge)(new OAuthError('insufficient_scope', 'the token has no openid scope'));
    assert.equal(forbidden.status, 403);
    assert.match(String(forbidden.headers['www-authenticate']), /^Bearer realm="idproo", error="insufficient_scope"/);
    assert.equal(jsonErrors(bearerChallenge)(new OAuthError('server_error', 'x')).headers['www-authenticate'], undefined);
  });

  it('an unexpected error is answered through the route presenter', () => {
    const response = failureResponse(new Error('boom'), 'req-9', silentLogger, () => ({ status: 599, headers: {}, body: 'page' }));
    assert.equal(response.status, 599);
    assert.equal(response.body, 'page');
  });
});
