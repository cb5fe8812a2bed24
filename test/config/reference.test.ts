import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { docFile, renderReference, withReference } from '../../scripts/config-reference.ts';
import { parseConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';

const doc = readFileSync(docFile, 'utf8');

describe('docs/configuration.md', () => {
  it('has the reference generated from the current schema (run: npm run docs:config)', () => {
    assert.equal(doc, withReference(doc));
  });

  it('documents every top-level field, with types and defaults read from the schema', () => {
    const reference = renderReference();
    const root = configSchema.entries;
    for (const name of Object.keys(root)) assert.ok(reference.includes(`| \`${name}\` |`), name);
    assert.match(reference, /\| `requireClientSecret` \| boolean \| `true` \|/);
    assert.match(reference, /\| `rotationInterval` \| \[duration\]\(#durations\) \| `7776000` \(90d\) \|/);
    assert.match(reference, /\| `clientId` \| non-empty string \| \*\*required\*\* \|/);
  });

  it('shows a complete example that is a valid configuration', () => {
    const example = /## A complete example\n\n```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    assert.ok(example, 'the example block is missing');
    const config = parseConfig(JSON.parse(example), 'docs/configuration.md');
    assert.equal(config.issuer, 'https://login.example.com');
    assert.deepEqual(config.keyManagement.signingAlgorithms, ['RS256', 'ES256']);
  });

  it('quotes the messages the schema really produces', () => {
    const quoted = /```text\n\$ idproo config check idproo\.json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    assert.ok(quoted);
    const config = {
      apiScopes: [{ name: 'invoices.read' }],
      apiResources: [{ name: 'https://invoices.example.com', scopes: ['invoices.read', 'invoices.delete'] }],
      clients: [
        { clientId: 'billing-service', clientSecret: 's3cret', allowedGrantTypes: ['client_credentials'], allowedScopes: ['invoices.read'] },
        { clientId: 'orders-worker', clientSecrets: ['x'], allowedGrantTypes: ['client_credentials'] },
        { clientId: 'portal', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], redirectUris: ['https://portal.example.com/#/callback'] },
      ],
    };
    assert.throws(() => parseConfig(config, 'idproo.json'), (error: Error) => error.message === quoted);
  });
});
