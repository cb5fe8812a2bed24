import { sessionFilterEntries } from '../arguments.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { SessionStore, UserSession } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { removeExpiredEntries } from './remove-expired.ts';
import { snapshot } from './snapshot.ts';

export function createMemorySessionStore(gate: Gate): SessionStore {
  const sessions = new Map<string, UserSession>();
  // The sids in use, so a duplicate is found without a scan: sign-in must not slow as sessions pile up.
  const sessionIds = new Set<string>();
  const live = (key: string, now: number) => {
    const session = sessions.get(key);
    return session !== undefined && session.expiresAt > now ? session : undefined;
  };
  return {
    async createSession(session) {
      checkOpen(gate);
      if (sessions.has(session.key)) throw new DuplicateKeyError('session', session.key);
      if (sessionIds.has(session.sessionId)) throw new DuplicateKeyError('session id', session.sessionId);
      sessions.set(session.key, snapshot(session));
      sessionIds.add(session.sessionId);
    },
    async findSession(key, now) {
      checkOpen(gate);
      return live(key, now);
    },
    async touchSession(key, update, now) {
      checkOpen(gate);
      const session = live(key, now);
      if (session === undefined) return undefined;
      const clientIds = update.clientId === undefined || session.clientIds.includes(update.clientId) ? session.clientIds : [...session.clientIds, update.clientId];
      const updated = snapshot({ ...session, clientIds, lastActivityAt: update.lastActivityAt, expiresAt: update.expiresAt ?? session.expiresAt });
      sessions.set(key, updated);
      return updated;
    },
    async removeSession(key) {
      checkOpen(gate);
      const session = sessions.get(key);
      sessions.delete(key);
      if (session !== undefined) sessionIds.delete(session.sessionId);
      return session;
    },
    async listSessions(filter, now) {
      checkOpen(gate);
      const entries = sessionFilterEntries(filter);
      return [...sessions.values()]
        .filter((s) => s.expiresAt > now && entries.every(([field, value]) => (field === 'clientId' ? s.clientIds.includes(value) : s[field] === value)))
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    async removeExpiredSessions(now, limit) {
      checkOpen(gate);
      return removeExpiredEntries(sessions, now, limit, (session) => session.expiresAt, (session) => sessionIds.delete(session.sessionId));
    },
  };
}
