import { ConfigurationConflictError } from '../errors.ts';
import type { User, UserStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { indexUnique } from './index-unique.ts';
import { OwnedEntries, type Owned } from './owned-entries.ts';

const removeUser = 'stores.users.removeUser';

export function createMemoryUserStore(gate: Gate): UserStore {
  const users = new OwnedEntries<User>('user', removeUser, (u) => u.subjectId);
  let byUsername = new Map<string, User>();

  // A username is unique across every user, whoever owns it; the index is rebuilt from the entries a
  // write would leave, so a clash rejects the write before anything changes.
  function apply(next: Map<string, Owned<User>>): void {
    const usernames = indexUnique([...next.values()].map((entry) => entry.value), (u) => u.username, 'username');
    users.replace(next);
    byUsername = usernames;
  }

  return {
    async findUserBySubjectId(subjectId) {
      checkOpen(gate);
      return users.get(subjectId);
    },
    async findUserByUsername(username) {
      checkOpen(gate);
      return byUsername.get(username);
    },
    async saveUser(user) {
      checkOpen(gate);
      apply(users.withSaved(user));
    },
    async removeUser(subjectId) {
      checkOpen(gate);
      const user = users.get(subjectId);
      const removed = users.remove(subjectId);
      if (user) byUsername.delete(user.username);
      return removed;
    },
    async syncConfiguredUsers(list) {
      checkOpen(gate);
      const next = users.withConfigured(list);
      const taken = list.filter((u) => {
        const holder = byUsername.get(u.username);
        return holder !== undefined && holder.subjectId !== u.subjectId && users.isStoreOwned(holder.subjectId);
      });
      if (taken.length > 0) throw new ConfigurationConflictError('username', taken.map((u) => u.username), removeUser);
      apply(next);
    },
  };
}
