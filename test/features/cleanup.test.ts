import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removeExpired } from '../../src/provider/cleanup.ts';
import { createMemoryStores } from '../../src/stores/index.ts';

describe('removal of expired grants', () => {
  it('removes every expired grant and revocation, in batches, and nothing live', async () => {
    const stores = createMemoryStores();
    const now = 1_000_000;
    for (let i = 0; i < 2500; i++) {
      await stores.grants.storeGrant({ key: `old-${i}`, type: 'reference_token', clientId: 'c', createdAt: 0, expiresAt: now - 1, data: '{}' });
    }
    await stores.grants.storeGrant({ key: 'live', type: 'reference_token', clientId: 'c', createdAt: 0, expiresAt: now + 1, data: '{}' });
    await stores.revocations.revokeToken('old-jti', now - 1);
    await stores.revocations.revokeToken('live-jti', now + 1000);
    assert.equal(await removeExpired(stores, { now: () => now }), 2501);
    assert.ok(await stores.grants.getGrant('live'));
    assert.equal(await stores.grants.getGrant('old-0'), undefined);
    assert.equal(await stores.revocations.isTokenRevoked('live-jti'), true);
    await stores.close();
  });
});
