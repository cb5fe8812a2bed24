import type { DatabaseSync } from 'node:sqlite';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { User, UserStore } from '../types.ts';
import type { OriginRow } from './origin.ts';
import { immediateTransaction } from './transaction.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: string };

const removeUser = 'stores.users.removeUser';

function duplicateUser(error: unknown, user: User): unknown {
  const violated = uniqueViolation(error);
  if (violated === 'primary-key') return new DuplicateKeyError('user', user.subjectId, { cause: error });
  if (violated === 'unique') return new DuplicateKeyError('username', user.username, { cause: error });
  return error;
}

export function createSqliteUserStore(db: DatabaseSync): UserStore {
  const findBySubjectId = db.prepare('SELECT json FROM users WHERE subject_id = ?');
  const findByUsername = db.prepare('SELECT json FROM users WHERE username = ?');
  const originOf = db.prepare('SELECT origin FROM users WHERE subject_id = ?');
  const storeOwnedUsername = db.prepare(`SELECT 1 FROM users WHERE username = ? AND subject_id <> ? AND origin = 'store'`);
  // One statement: a new row, or an update of the store's own row; no change means the file owns the id.
  const save = db.prepare(
    `INSERT INTO users (subject_id, username, json, origin) VALUES (?, ?, ?, 'store')
     ON CONFLICT (subject_id) DO UPDATE SET username = excluded.username, json = excluded.json WHERE origin = 'store'`,
  );
  const remove = db.prepare(`DELETE FROM users WHERE subject_id = ? AND origin = 'store'`);
  const removeConfigured = db.prepare(`DELETE FROM users WHERE origin = 'configuration'`);
  const insertConfigured = db.prepare(`INSERT INTO users (subject_id, username, json, origin) VALUES (?, ?, ?, 'configuration')`);

  const origin = (subjectId: string) => (originOf.get(subjectId) as OriginRow | undefined)?.origin;
  const parse = (row: JsonRow | undefined) => row && (JSON.parse(row.json) as User);

  return {
    async findUserBySubjectId(subjectId) {
      return parse(findBySubjectId.get(subjectId) as JsonRow | undefined);
    },
    async findUserByUsername(username) {
      return parse(findByUsername.get(username) as JsonRow | undefined);
    },
    async saveUser(user) {
      let changes: number;
      try {
        changes = Number(save.run(user.subjectId, user.username, JSON.stringify(user)).changes);
      } catch (error) {
        throw duplicateUser(error, user);
      }
      if (changes === 0) throw new ConfiguredEntryError('user', user.subjectId);
    },
    async removeUser(subjectId) {
      if (Number(remove.run(subjectId).changes) === 1) return true;
      if (origin(subjectId) === 'configuration') throw new ConfiguredEntryError('user', subjectId);
      return false;
    },
    async syncConfiguredUsers(users) {
      immediateTransaction(db, () => {
        const conflicts = users.map((u) => u.subjectId).filter((id) => origin(id) === 'store');
        if (conflicts.length > 0) throw new ConfigurationConflictError('user', conflicts, removeUser);
        const taken = users.filter((u) => storeOwnedUsername.get(u.username, u.subjectId) !== undefined).map((u) => u.username);
        if (taken.length > 0) throw new ConfigurationConflictError('username', taken, removeUser);
        removeConfigured.run();
        for (const user of users) {
          try {
            insertConfigured.run(user.subjectId, user.username, JSON.stringify(user));
          } catch (error) {
            throw duplicateUser(error, user);
          }
        }
      });
    },
  };
}
