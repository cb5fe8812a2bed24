import { checkLimit, sessionFilterEntries } from '../arguments.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { SessionFilter, SessionStore, UserSession } from '../types.ts';
import type { Database } from './database.ts';
import { uniqueViolation } from './unique-violation.ts';

type SessionRow = {
  key: string;
  session_id: string;
  subject_id: string;
  auth_time: number;
  amr: string[];
  acr: string | null;
  client_ids: string[];
  created_at: number;
  last_activity_at: number;
  expires_at: number;
  persistent: boolean;
  user_agent: string | null;
  ip_address: string | null;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const columns = 'key, session_id, subject_id, auth_time, amr, acr, client_ids, created_at, last_activity_at, expires_at, persistent, user_agent, ip_address';

// A client is in a session if its id is an element of the JSON array: jsonb containment compares whole elements.
const filterConditions: Record<keyof SessionFilter, (parameter: string) => string> = {
  subjectId: (p) => `subject_id = ${p}`,
  sessionId: (p) => `session_id = ${p}`,
  clientId: (p) => `client_ids @> jsonb_build_array(${p}::text)`,
};

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
function toSession(row: SessionRow): UserSession {
  const session: Mutable<UserSession> = {
    key: row.key,
    sessionId: row.session_id,
    subjectId: row.subject_id,
    authTime: row.auth_time,
    amr: row.amr,
    clientIds: row.client_ids,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    expiresAt: row.expires_at,
    persistent: row.persistent,
  };
  if (row.acr !== null) session.acr = row.acr;
  if (row.user_agent !== null) session.userAgent = row.user_agent;
  if (row.ip_address !== null) session.ipAddress = row.ip_address;
  return session;
}

const sessionOf = (rows: SessionRow[]) => (rows[0] === undefined ? undefined : toSession(rows[0]));

const insert = `INSERT INTO sessions (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;
const findLive = `SELECT ${columns} FROM sessions WHERE key = $1 AND expires_at > $2`;
// One statement, so two requests touching one session (two clients signing in through it at once) cannot
// lose each other's client id, as a read, then a write, of the JSON array could: the second UPDATE waits
// for the first and then recomputes its SET from the row the first committed.
const touch = `UPDATE sessions SET
    client_ids = CASE
      WHEN $3::text IS NULL OR client_ids @> jsonb_build_array($3::text) THEN client_ids
      ELSE client_ids || jsonb_build_array($3::text)
    END,
    last_activity_at = $4,
    expires_at = coalesce($5::bigint, expires_at)
  WHERE key = $1 AND expires_at > $2
  RETURNING ${columns}`;
const remove = `DELETE FROM sessions WHERE key = $1 RETURNING ${columns}`;
const removeExpired = `DELETE FROM sessions WHERE key IN (
  SELECT key FROM sessions WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function createPostgresSessionStore(db: Database): SessionStore {
  return {
    async createSession(session) {
      try {
        await db.query(insert, [
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
          session.persistent,
          session.userAgent ?? null,
          session.ipAddress ?? null,
        ]);
      } catch (error) {
        const violated = uniqueViolation(error);
        if (violated === 'primary-key') throw new DuplicateKeyError('session', session.key, { cause: error });
        if (violated === 'unique') throw new DuplicateKeyError('session id', session.sessionId, { cause: error });
        throw error;
      }
    },
    async findSession(key, now) {
      return sessionOf((await db.query<SessionRow>(findLive, [key, now])).rows);
    },
    async touchSession(key, update, now) {
      const parameters = [key, now, update.clientId ?? null, update.lastActivityAt, update.expiresAt ?? null];
      return sessionOf((await db.query<SessionRow>(touch, parameters)).rows);
    },
    async removeSession(key) {
      return sessionOf((await db.query<SessionRow>(remove, [key])).rows);
    },
    async listSessions(filter, now) {
      const entries = sessionFilterEntries(filter);
      const where = entries.map(([field], index) => filterConditions[field](`$${index + 1}`)).join(' AND ');
      // Oldest first; seq breaks ties in insertion order, as the memory store's stable sort does.
      const text = `SELECT ${columns} FROM sessions WHERE ${where} AND expires_at > $${entries.length + 1} ORDER BY created_at, seq`;
      return (await db.query<SessionRow>(text, [...entries.map(([, value]) => value), now])).rows.map(toSession);
    },
    async removeExpiredSessions(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
