import type { User, UserStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { indexUnique } from './index-unique.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryUserStore(gate: Gate): UserStore {
  let bySubjectId = new Map<string, User>();
  let byUsername = new Map<string, User>();
  return {
    async findUserBySubjectId(subjectId) {
      checkOpen(gate);
      return bySubjectId.get(subjectId);
    },
    async findUserByUsername(username) {
      checkOpen(gate);
      return byUsername.get(username);
    },
    async replaceUsers(users) {
      checkOpen(gate);
      const list = snapshot(users);
      const subjects = indexUnique(list, (u) => u.subjectId, 'user subjectId');
      const usernames = indexUnique(list, (u) => u.username, 'username');
      bySubjectId = subjects;
      byUsername = usernames;
    },
  };
}
