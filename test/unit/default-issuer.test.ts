import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultIssuer, UsageError } from '../../src/cli/options.ts';

describe('the default issuer (no issuer configured)', () => {
  const cases: ReadonlyArray<readonly [string | undefined, string]> = [
    [undefined, 'http://localhost:5000'],
    ['0.0.0.0', 'http://localhost:5000'],
    ['::', 'http://localhost:5000'],
    ['localhost', 'http://localhost:5000'],
    ['127.0.0.1', 'http://127.0.0.1:5000'],
    ['::1', 'http://[::1]:5000'],
    ['10.0.0.5', 'http://10.0.0.5:5000'],
    ['fd00::5', 'http://[fd00::5]:5000'],
    ['login.example.com', 'http://login.example.com:5000'],
  ];
  for (const [host, issuer] of cases) {
    it(`host ${host ?? '(not given)'} → ${issuer}`, () => {
      assert.equal(defaultIssuer(host, 5000), issuer);
    });
  }

  it('a host that cannot be written in a URL (an IPv6 zone id) is a usage error that names --issuer', () => {
    assert.throws(() => defaultIssuer('fe80::1%eth0', 5000), (error: Error) => error instanceof UsageError && /--issuer/.test(error.message));
  });
});
