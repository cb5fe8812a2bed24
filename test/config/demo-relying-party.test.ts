import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.ts';

const problem = (config: object) => {
  try {
    parseConfig(config, 'idproo.json');
  } catch (error) {
    return (error as Error).message.split('\n').slice(1).join('\n');
  }
  assert.fail('the configuration was accepted');
};

describe('demoRelyingParty', () => {
  it('is absent unless configured', () => {
    assert.equal(parseConfig({}).demoRelyingParty, undefined);
    assert.deepEqual(parseConfig({ demoRelyingParty: { clientId: 'demo-app' } }).demoRelyingParty, { clientId: 'demo-app' });
  });

  it('needs a client id, takes nothing else, and says what it expects', () => {
    assert.match(problem({ demoRelyingParty: {} }), /^ {2}demoRelyingParty\.clientId: is required: must be a string \(the client the demo signs in with, e\.g\. "demo-app"/);
    assert.match(problem({ demoRelyingParty: { clientId: '' } }), /^ {2}demoRelyingParty\.clientId: must not be empty/);
    assert.equal(problem({ demoRelyingParty: { clientId: 'demo-app', port: 5000 } }), '  demoRelyingParty: unknown field "port"; check the spelling against docs/configuration.md');
    assert.equal(problem({ demoRelyingParty: 'demo-app' }), '  demoRelyingParty: must be an object such as { "clientId": "demo-app" }');
  });
});
