import type { DatabaseSync } from 'node:sqlite';
import { DuplicateKeyError } from '../errors.ts';
import type { User, UserStore } from '../types.ts';
import { immediateTransaction } from './transaction.ts';
import { uniqueViolation } from './unique-violation.ts';

type JsonRow = { json: string };

export function createSqliteUserStore(db: DatabaseSync): UserStore {
  const findBySubjectId = db.prepare('SELECT json FROM users WHERE subject_id = ?');
  const findByUsername = db.prepare('SELECT json FROM users WHERE username = ?');
  const deleteAll = db.prepare('DELETE FROM users');
  const insert = db.prepare('INSERT INTO users (subject_id, username, json) VALUES (?, ?, ?)');

  function parse(row: JsonRow | undefined): User | undefined {
    return row && (JSON.parse(row.json) as User);
  }

  return {
    async findUserBySubjectId(subjectId) {
      return parse(findBySubjectId.get(subjectId) as JsonRow | undefined);
    },
    async findUserByUsername(username) {
      return parse(findByUsername.get(username) as JsonRow | undefined);
    },
    async replaceUsers(users) {
      immediateTransaction(db, () => {
        deleteAll.run();
        for (const user of users) {
          try {
            insert.run(user.subjectId, user.username, JSON.stringify(user));
          } catch (error) {
            const violated = uniqueViolation(error);
            if (violated === 'primary-key') throw new DuplicateKeyError('user subjectId', user.subjectId, { cause: error });
            if (violated === 'unique') throw new DuplicateKeyError('username', user.username, { cause: error });
            throw error;
          }
        }
      });
    },
  };
}
