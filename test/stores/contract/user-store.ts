import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../../../src/stores/errors.ts';
import type { Stores } from '../../../src/stores/types.ts';
import { user } from '../fixtures.ts';
import { tryToMutate } from './mutation.ts';

export function userStoreCases(current: () => Stores): void {
  describe('UserStore', () => {
    const users = () => current().users;

    it('finds nothing for unknown users', async () => {
      assert.equal(await users().findUserBySubjectId('nope'), undefined);
      assert.equal(await users().findUserByUsername('nope'), undefined);
    });

    it('round-trips every field and every kind of claim value, whoever owns the user', async () => {
      await users().syncConfiguredUsers([user('1', 'alice'), user('2', 'bob')]);
      await users().saveUser(user('3', 'carol'));
      assert.deepEqual(await users().findUserBySubjectId('1'), user('1', 'alice'));
      assert.deepEqual(await users().findUserByUsername('bob'), user('2', 'bob'));
      assert.deepEqual(await users().findUserByUsername('carol'), user('3', 'carol'));
    });

    describe('syncConfiguredUsers', () => {
      it('creates, updates and removes configured users until they are exactly the list', async () => {
        await users().syncConfiguredUsers([user('1', 'alice'), user('2', 'bob')]);
        // Two configured users swap usernames in one sync: valid at the end, though not half-way.
        await users().syncConfiguredUsers([user('1', 'bob'), user('3', 'alice')]);
        assert.deepEqual(await users().findUserByUsername('bob'), user('1', 'bob'));
        assert.deepEqual(await users().findUserByUsername('alice'), user('3', 'alice'));
        assert.equal(await users().findUserBySubjectId('2'), undefined);
        await users().syncConfiguredUsers([]);
        assert.equal(await users().findUserBySubjectId('1'), undefined);
        assert.equal(await users().findUserByUsername('alice'), undefined);
      });

      it('never changes or removes a user saved through the store', async () => {
        await users().syncConfiguredUsers([user('1', 'alice')]);
        await users().saveUser(user('registered', 'dave'));
        await users().syncConfiguredUsers([]);
        assert.deepEqual(await users().findUserByUsername('dave'), user('registered', 'dave'));
      });

      it('refuses, changing nothing, a list that names a subjectId or a username the store owns', async () => {
        await users().syncConfiguredUsers([user('1', 'alice')]);
        await users().saveUser(user('registered', 'dave'));
        await assert.rejects(users().syncConfiguredUsers([user('2', 'bob'), user('registered', 'erin')]), (error: unknown) => {
          assert.ok(error instanceof ConfigurationConflictError);
          assert.deepEqual(error.keys, ['registered']);
          assert.match(error.message, /user "registered"/);
          return true;
        });
        await assert.rejects(users().syncConfiguredUsers([user('2', 'dave')]), (error: unknown) => {
          assert.ok(error instanceof ConfigurationConflictError);
          assert.deepEqual(error.keys, ['dave']);
          assert.match(error.message, /username "dave"/);
          return true;
        });
        assert.deepEqual(await users().findUserBySubjectId('1'), user('1', 'alice'));
        assert.equal(await users().findUserBySubjectId('2'), undefined);
        assert.deepEqual(await users().findUserByUsername('dave'), user('registered', 'dave'));
      });

      it('rejects a repeated subjectId or username and keeps the previous users', async () => {
        await users().syncConfiguredUsers([user('1', 'alice')]);
        await assert.rejects(users().syncConfiguredUsers([user('2', 'bob'), user('2', 'carol')]), DuplicateKeyError);
        await assert.rejects(users().syncConfiguredUsers([user('2', 'bob'), user('3', 'bob')]), DuplicateKeyError);
        assert.deepEqual(await users().findUserByUsername('alice'), user('1', 'alice'));
        assert.equal(await users().findUserBySubjectId('2'), undefined);
        assert.equal(await users().findUserByUsername('bob'), undefined);
      });
    });

    describe('saveUser and removeUser', () => {
      it('create, update (username too) and remove a user the store owns', async () => {
        await users().saveUser(user('s', 'sam'));
        await users().saveUser(user('s', 'samuel'));
        assert.equal(await users().findUserByUsername('sam'), undefined);
        assert.deepEqual(await users().findUserByUsername('samuel'), user('s', 'samuel'));
        assert.equal(await users().removeUser('s'), true);
        assert.equal(await users().findUserBySubjectId('s'), undefined);
        assert.equal(await users().findUserByUsername('samuel'), undefined);
        assert.equal(await users().removeUser('s'), false);
      });

      it('refuse a username another user has, whoever owns it', async () => {
        await users().syncConfiguredUsers([user('1', 'alice')]);
        await users().saveUser(user('s', 'sam'));
        await assert.rejects(users().saveUser(user('t', 'alice')), DuplicateKeyError);
        await assert.rejects(users().saveUser(user('s', 'alice')), DuplicateKeyError);
        await assert.rejects(users().saveUser(user('t', 'sam')), DuplicateKeyError);
        assert.deepEqual(await users().findUserByUsername('sam'), user('s', 'sam'));
        assert.equal(await users().findUserBySubjectId('t'), undefined);
      });

      it('refuse a configured user and leave it as the file wrote it', async () => {
        await users().syncConfiguredUsers([user('1', 'alice')]);
        await assert.rejects(users().saveUser(user('1', 'alicia')), /user "1" comes from the configuration file/);
        await assert.rejects(users().removeUser('1'), ConfiguredEntryError);
        assert.deepEqual(await users().findUserByUsername('alice'), user('1', 'alice'));
        assert.equal(await users().findUserByUsername('alicia'), undefined);
      });
    });

    it('cannot be changed through its inputs or results', async () => {
      const saved = user('s', 'sam');
      await users().syncConfiguredUsers([user('1', 'alice')]);
      await users().saveUser(saved);
      (saved.claims.roles as string[]).push('tampered');
      tryToMutate(await users().findUserBySubjectId('1'));
      tryToMutate(await users().findUserByUsername('sam'));
      assert.deepEqual(await users().findUserByUsername('alice'), user('1', 'alice'));
      assert.deepEqual(await users().findUserBySubjectId('s'), user('s', 'sam'));
    });
  });
}
