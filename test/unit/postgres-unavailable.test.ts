import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../../src/stores/errors.ts';
import { isUnreachable, reachable } from '../../src/stores/postgres/unavailable.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('PostgreSQL errors that mean the database is out of reach', () => {
  for (const error of [
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('08006'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
  ]) {
    it(`${(error as { code?: string }).code ?? error.message} is unreachable`, () => assert.equal(isUnreachable(error), true));
  }

  for (const error of [withCode('23505', 'duplicate key'), withCode('57014', 'canceling statement due to statement timeout'), withCode('42P01'), new Error('Cannot use a pool after calling end on the pool'), 'text']) {
    it(`${typeof error === 'string' ? error : ((error as { code?: string }).code ?? error.message)} is not`, () => assert.equal(isUnreachable(error), false));
  }

  it('reachable() turns an unreachable database into StoreUnavailableError and lets any other error through', async () => {
    const refused = withCode('ECONNREFUSED');
    await assert.rejects(
      reachable(() => Promise.reject(refused)),
      (error: unknown) => error instanceof StoreUnavailableError && error.cause === refused,
    );
    const duplicate = withCode('23505');
    await assert.rejects(reachable(() => Promise.reject(duplicate)), (error: unknown) => error === duplicate);
  });
});
