import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReadinessEndpoint } from '../../src/endpoints/health.ts';
import type { EndpointRequest } from '../../src/endpoints/types.ts';

const request = {} as EndpointRequest;

describe('readiness endpoint', () => {
  it('answers 503 when the stores do not answer within the timeout, instead of hanging', async () => {
    const endpoint = createReadinessEndpoint({ ping: () => new Promise<void>(() => {}) }, 50);
    const started = Date.now();
    const response = await endpoint(request);
    assert.equal(response.status, 503);
    assert.equal(response.body, '{"status":"unavailable"}');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.ok(Date.now() - started < 1_000);
  });

  it('answers 503 when the stores reject', async () => {
    const endpoint = createReadinessEndpoint({ ping: () => Promise.reject(new Error('down')) }, 1_000);
    assert.equal((await endpoint(request)).status, 503);
  });
});
