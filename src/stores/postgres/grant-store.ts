import { checkLimit, grantFilterEntries } from '../arguments.ts';
import { grantColumns, grantFilterColumns, toGrant, type GrantRow } from '../grant-row.ts';
import { whyNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { ConsumeGrantResult, GrantFilter, GrantStore, PersistedGrant } from '../types.ts';
import type { Database } from './database.ts';
import { uniqueViolation } from './unique-violation.ts';

const columns = grantColumns;
const filterColumns = grantFilterColumns;
// RETURNING yields post-update values, so a consume leaves consumed_at out to return the grant as it was before.
const columnsBeforeConsume = 'key, type, client_id, subject_id, session_id, created_at, expires_at, family_id, data';


const grantOf = (rows: GrantRow[]) => (rows[0] === undefined ? undefined : toGrant(rows[0]));

const values = (grant: PersistedGrant) => [
  grant.key,
  grant.type,
  grant.clientId,
  grant.subjectId ?? null,
  grant.sessionId ?? null,
  grant.createdAt,
  grant.expiresAt,
  grant.consumedAt ?? null,
  grant.familyId ?? null,
  grant.data,
];

const insert = `INSERT INTO grants (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
const select = `SELECT ${columns} FROM grants WHERE key = $1`;
const remove = `DELETE FROM grants WHERE key = $1 RETURNING ${columns}`;
const updateData = 'UPDATE grants SET data = $1 WHERE key = $2 AND consumed_at IS NULL AND expires_at > $3';
// One statement, so the check and the write cannot be split by another connection: this is what makes
// an authorization code single use (RFC 6749 §4.1.2). Under READ COMMITTED a concurrent UPDATE of the
// row waits for the first to commit, then re-checks its WHERE against the row as committed, which is
// consumed by then: exactly one of any number of concurrent calls matches.
const consume = `UPDATE grants SET consumed_at = $1 WHERE key = $2 AND consumed_at IS NULL AND expires_at > $3
  RETURNING ${columnsBeforeConsume}`;
// RFC 9700 §4.14.2: a refresh token is consumed as its successor is issued, in one statement (one round
// trip, no transaction): the successor is inserted only from the row the consume returned, so a losing
// rotation stores nothing, and a successor key that exists fails the whole statement, consume included.
const rotate = `WITH consumed AS (${consume}),
  successor AS (
    INSERT INTO grants (${columns})
    SELECT $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM consumed
  )
  SELECT ${columnsBeforeConsume} FROM consumed`;
// Cleanup on several nodes at once: each takes rows the others have not locked, and none waits.
const removeExpired = `DELETE FROM grants WHERE key IN (
  SELECT key FROM grants WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

function filtered(verb: 'SELECT' | 'DELETE', filter: GrantFilter): { text: string; values: string[] } {
  const entries = grantFilterEntries(filter);
  const where = entries.map(([field], index) => `${filterColumns[field]} = $${index + 1}`).join(' AND ');
  const text = verb === 'SELECT' ? `SELECT ${columns} FROM grants WHERE ${where} ORDER BY seq` : `DELETE FROM grants WHERE ${where}`;
  return { text, values: entries.map(([, value]) => value) };
}

export function createPostgresGrantStore(db: Database): GrantStore {
  // Classifies a consume that matched no row by a second read, which cannot make a second winner:
  // consumed_at is never cleared, and expiry at a given `now` never changes.
  async function whyLost(key: string, now: number): Promise<ConsumeGrantResult> {
    return whyNotConsumable(grantOf((await db.query<GrantRow>(select, [key])).rows), now) ?? { outcome: 'unknown' };
  }

  return {
    async storeGrant(grant) {
      try {
        await db.query(insert, values(grant));
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('grant', grant.key, { cause: error }) : error;
      }
    },
    async getGrant(key) {
      return grantOf((await db.query<GrantRow>(select, [key])).rows);
    },
    async removeGrant(key) {
      return grantOf((await db.query<GrantRow>(remove, [key])).rows);
    },
    async consumeGrant(key, now) {
      const grant = grantOf((await db.query<GrantRow>(consume, [now, key, now])).rows);
      return grant !== undefined ? { outcome: 'consumed', grant } : whyLost(key, now);
    },
    async rotateGrant(key, successor, now) {
      let rows: GrantRow[];
      try {
        ({ rows } = await db.query<GrantRow>(rotate, [now, key, now, ...values(successor)]));
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('grant', successor.key, { cause: error }) : error;
      }
      const grant = grantOf(rows);
      return grant !== undefined ? { outcome: 'consumed', grant } : whyLost(key, now);
    },
    async listGrants(filter) {
      const { text, values } = filtered('SELECT', filter);
      return (await db.query<GrantRow>(text, values)).rows.map(toGrant);
    },
    async updateGrantData(key, data, now) {
      return (await db.query(updateData, [data, key, now])).rowCount === 1;
    },
    async removeGrants(filter) {
      const { text, values } = filtered('DELETE', filter);
      return (await db.query(text, values)).rowCount;
    },
    async removeExpiredGrants(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
