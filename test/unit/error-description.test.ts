import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAuthError } from '../../src/errors/oauth-error.ts';
import { errorResponse, failureResponse } from '../../src/http/write.ts';
import { silentLogger } from '../../src/util/logger.ts';

describe('error bodies (RFC 6749 §5.2)', () => {
  it('error_description keeps to the allowed characters and a bounded length, whatever the request quoted', () => {
    const body = JSON.parse(String(errorResponse(new OAuthError('unsupported_grant_type', `the grant type "x"\\\n\t\u00e9${'a'.repeat(1000)} is not supported`)).body));
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
    const response = errorResponse(new OAuthError('invalid_client', 'client authentication failed'));
    assert.equal(response.status, 401);
    assert.match(response.headers['www-authenticate']!, /^Basic /);
  });
});
