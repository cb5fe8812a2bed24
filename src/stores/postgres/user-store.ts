import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { User, UserStore } from '../types.ts';
import type { Database } from './database.ts';
import { lockForSync, type Origin } from './origin.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: User };

const removeUser = 'stores.users.removeUser';

function duplicateUser(error: unknown, user: User): unknown {
  const violated = uniqueViolation(error);
  if (violated === 'primary-key') return new DuplicateKeyError('user', user.subjectId, { cause: error });
  if (violated === 'unique') return new DuplicateKeyError('username', user.username, { cause: error });
  return error;
}

const findBySubjectId = 'SELECT json FROM users WHERE subject_id = $1';
const findByUsername = 'SELECT json FROM users WHERE username = $1';
const originOf = 'SELECT origin FROM users WHERE subject_id = $1';
const storeOwnedIds = `SELECT subject_id FROM users WHERE subject_id = ANY($1::text[]) AND origin = 'store'`;
// A listed username taken by a store-owned user other than the listed one (whose own row the file would not replace).
const storeOwnedUsernames = `SELECT u.username FROM users u
  JOIN unnest($1::text[], $2::text[]) AS listed (subject_id, username) ON u.username = listed.username AND u.subject_id <> listed.subject_id
  WHERE u.origin = 'store'`;
// One statement: a new row, or an update of the store's own row; no change means the file owns the id.
const save = `INSERT INTO users (subject_id, username, json, origin) VALUES ($1, $2, $3, 'store')
  ON CONFLICT (subject_id) DO UPDATE SET username = excluded.username, json = excluded.json WHERE users.origin = 'store'`;
const remove = `DELETE FROM users WHERE subject_id = $1 AND origin = 'store'`;
const removeConfigured = `DELETE FROM users WHERE origin = 'configuration'`;
const insertConfigured = `INSERT INTO users (subject_id, username, json, origin) VALUES ($1, $2, $3, 'configuration')`;

export function createPostgresUserStore(db: Database): UserStore {
  return {
    async findUserBySubjectId(subjectId) {
      return (await db.query<JsonRow>(findBySubjectId, [subjectId])).rows[0]?.json;
    },
    async findUserByUsername(username) {
      return (await db.query<JsonRow>(findByUsername, [username])).rows[0]?.json;
    },
    async saveUser(user) {
      let changes: number;
      try {
        changes = (await db.query(save, [user.subjectId, user.username, JSON.stringify(user)])).rowCount;
      } catch (error) {
        throw duplicateUser(error, user);
      }
      if (changes === 0) throw new ConfiguredEntryError('user', user.subjectId);
    },
    async removeUser(subjectId) {
      if ((await db.query(remove, [subjectId])).rowCount === 1) return true;
      const { rows } = await db.query<{ origin: Origin }>(originOf, [subjectId]);
      if (rows[0]?.origin === 'configuration') throw new ConfiguredEntryError('user', subjectId);
      return false;
    },
    async syncConfiguredUsers(users) {
      await db.transaction(async (tx) => {
        await lockForSync(tx, 'users');
        const ids = users.map((u) => u.subjectId);
        const ownedIds = new Set((await tx.query<{ subject_id: string }>(storeOwnedIds, [ids])).rows.map((row) => row.subject_id));
        const conflicts = ids.filter((id) => ownedIds.has(id));
        if (conflicts.length > 0) throw new ConfigurationConflictError('user', conflicts, removeUser);
        const names = users.map((u) => u.username);
        const ownedNames = new Set((await tx.query<{ username: string }>(storeOwnedUsernames, [ids, names])).rows.map((row) => row.username));
        const taken = names.filter((name) => ownedNames.has(name));
        if (taken.length > 0) throw new ConfigurationConflictError('username', taken, removeUser);
        await tx.query(removeConfigured);
        for (const user of users) {
          try {
            await tx.query(insertConfigured, [user.subjectId, user.username, JSON.stringify(user)]);
          } catch (error) {
            throw duplicateUser(error, user);
          }
        }
      });
    },
  };
}
