import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkLimit, sessionFilterEntries } from '../arguments.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { SessionFilter, SessionStore, UserSession } from '../types.ts';
import { uniqueViolation } from './unique-violation.ts';

type SessionRow = {
  key: string;
  session_id: string;
  subject_id: string;
  auth_time: number;
  amr: string;
  acr: string | null;
  client_ids: string;
  created_at: number;
  last_activity_at: number;
  expires_at: number;
  persistent: number;
  user_agent: string | null;
  ip_address: string | null;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const columns = 'key, session_id, subject_id, auth_time, amr, acr, client_ids, created_at, last_activity_at, expires_at, persistent, user_agent, ip_address';

// A client is in a session if its id is an element of the JSON array; json_each compares whole elements.
const filterConditions: Record<keyof SessionFilter, string> = {
  subjectId: 'subject_id = ?',
  sessionId: 'session_id = ?',
  clientId: 'EXISTS (SELECT 1 FROM json_each(client_ids) WHERE value = ?)',
};

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
function toSession(row: SessionRow): UserSession {
  const session: Mutable<UserSession> = {
    key: row.key,
    sessionId: row.session_id,
    subjectId: row.subject_id,
    authTime: row.auth_time,
    amr: JSON.parse(row.amr) as string[],
    clientIds: JSON.parse(row.client_ids) as string[],
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    expiresAt: row.expires_at,
    persistent: row.persistent === 1,
  };
  if (row.acr !== null) session.acr = row.acr;
  if (row.user_agent !== null) session.userAgent = row.user_agent;
  if (row.ip_address !== null) session.ipAddress = row.ip_address;
  return session;
}

const sessionOf = (row: unknown) => (row === undefined ? undefined : toSession(row as SessionRow));

export function createSqliteSessionStore(db: DatabaseSync): SessionStore {
  const insert = db.prepare(`INSERT INTO sessions (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const findLive = db.prepare(`SELECT ${columns} FROM sessions WHERE key = ? AND expires_at > ?`);
  // One statement, so two requests touching one session (say, two clients signing in through it at
  // once) cannot lose each other's client id, as a read, then a write, of the JSON array could.
  // SET expressions all read the row as it was; json_insert with '$[#]' appends.
  const touch = db.prepare(
    `UPDATE sessions SET
       client_ids = CASE
         WHEN $clientId IS NULL OR EXISTS (SELECT 1 FROM json_each(client_ids) WHERE value = $clientId) THEN client_ids
         ELSE json_insert(client_ids, '$[#]', $clientId)
       END,
       last_activity_at = $lastActivityAt,
       expires_at = coalesce($expiresAt, expires_at)
     WHERE key = $key AND expires_at > $now
     RETURNING ${columns}`,
  );
  const remove = db.prepare(`DELETE FROM sessions WHERE key = ? RETURNING ${columns}`);
  // The LIMIT sits in a subquery because DELETE … LIMIT needs a compile-time SQLite option.
  const removeExpired = db.prepare('DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at <= ? LIMIT ?)');
  const listByFilter = new Map<string, StatementSync>();

  function listStatement(entries: ReadonlyArray<readonly [keyof SessionFilter, string]>): StatementSync {
    const shape = entries.map(([field]) => field).join();
    let statement = listByFilter.get(shape);
    if (statement === undefined) {
      const where = entries.map(([field]) => filterConditions[field]).join(' AND ');
      // Oldest first; rowid breaks ties in insertion order, as the memory store's stable sort does.
      statement = db.prepare(`SELECT ${columns} FROM sessions WHERE ${where} AND expires_at > ? ORDER BY created_at, rowid`);
      listByFilter.set(shape, statement);
    }
    return statement;
  }

  return {
    async createSession(session) {
      try {
        insert.run(
          session.key,
          session.sessionId,
          session.subjectId,
          session.authTime,
          JSON.stringify(session.amr),
          session.acr ?? null,
          JSON.stringify(session.clientIds),
          session.createdAt,
          session.lastActivityAt,
          session.expiresAt,
          session.persistent ? 1 : 0,
          session.userAgent ?? null,
          session.ipAddress ?? null,
        );
      } catch (error) {
        const violated = uniqueViolation(error);
        if (violated === 'primary-key') throw new DuplicateKeyError('session', session.key, { cause: error });
        if (violated === 'unique') throw new DuplicateKeyError('session id', session.sessionId, { cause: error });
        throw error;
      }
    },
    async findSession(key, now) {
      return sessionOf(findLive.get(key, now));
    },
    async touchSession(key, update, now) {
      return sessionOf(
        touch.get({ key, now, clientId: update.clientId ?? null, lastActivityAt: update.lastActivityAt, expiresAt: update.expiresAt ?? null }),
      );
    },
    async removeSession(key) {
      return sessionOf(remove.get(key));
    },
    async listSessions(filter, now) {
      const entries = sessionFilterEntries(filter);
      return (listStatement(entries).all(...entries.map(([, value]) => value), now) as SessionRow[]).map(toSession);
    },
    async removeExpiredSessions(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
