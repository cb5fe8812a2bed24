import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkLimit, grantFilterEntries } from '../arguments.ts';
import { grantColumns, grantFilterColumns, toGrant, type GrantRow } from '../grant-row.ts';
import { whyNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { ConsumeGrantResult, GrantFilter, GrantStore, PersistedGrant } from '../types.ts';
import { immediateTransaction } from './transaction.ts';
import { uniqueViolation } from './unique-violation.ts';

const columns = grantColumns;
const filterColumns = grantFilterColumns;

const grantOf = (row: unknown) => (row === undefined ? undefined : toGrant(row as GrantRow));

export function createSqliteGrantStore(db: DatabaseSync): GrantStore {
  const insert = db.prepare(`INSERT INTO grants (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare(`SELECT ${columns} FROM grants WHERE key = ?`);
  const remove = db.prepare(`DELETE FROM grants WHERE key = ? RETURNING ${columns}`);
  const updateData = db.prepare('UPDATE grants SET data = ? WHERE key = ? AND consumed_at IS NULL AND expires_at > ?');
  // One statement, so the check and the write cannot be split by another connection: this is what
  // makes an authorization code single-use (RFC 6749 §4.1.2). RETURNING yields post-update values,
  // so consumed_at is left out to return the grant as it was before.
  const consume = db.prepare(
    `UPDATE grants SET consumed_at = ? WHERE key = ? AND consumed_at IS NULL AND expires_at > ?
     RETURNING key, type, client_id, subject_id, session_id, created_at, expires_at, family_id, data`,
  );
  // The LIMIT sits in a subquery because DELETE … LIMIT needs a compile-time SQLite option.
  const removeExpired = db.prepare(
    'DELETE FROM grants WHERE rowid IN (SELECT rowid FROM grants WHERE expires_at <= ? LIMIT ?)',
  );
  const byFilter = new Map<string, StatementSync>();

  // One statement per filter shape (the fields it sets), prepared on first use; the shapes are few.
  function filtered(verb: 'SELECT' | 'DELETE', filter: GrantFilter): { statement: StatementSync; values: string[] } {
    const entries = grantFilterEntries(filter);
    const shape = `${verb} ${entries.map(([field]) => field).join()}`;
    let statement = byFilter.get(shape);
    if (statement === undefined) {
      const where = entries.map(([field]) => `${filterColumns[field]} = ?`).join(' AND ');
      statement = db.prepare(verb === 'SELECT' ? `SELECT ${columns} FROM grants WHERE ${where} ORDER BY rowid` : `DELETE FROM grants WHERE ${where}`);
      byFilter.set(shape, statement);
    }
    return { statement, values: entries.map(([, value]) => value) };
  }

  function insertGrant(grant: PersistedGrant): void {
    try {
      insert.run(
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
      );
    } catch (error) {
      throw uniqueViolation(error) ? new DuplicateKeyError('grant', grant.key, { cause: error }) : error;
    }
  }

  // Classifies a consume whose UPDATE matched no row by a second read, which cannot make a second
  // winner: consumed_at is never cleared, and expiry at a given `now` never changes. A row that reads as
  // consumable here was stored after the UPDATE found none.
  function whyLost(key: string, now: number): ConsumeGrantResult {
    return whyNotConsumable(grantOf(select.get(key)), now) ?? { outcome: 'unknown' };
  }

  return {
    async storeGrant(grant) {
      insertGrant(grant);
    },
    async getGrant(key) {
      return grantOf(select.get(key));
    },
    async removeGrant(key) {
      return grantOf(remove.get(key));
    },
    async consumeGrant(key, now) {
      const grant = grantOf(consume.get(now, key, now));
      return grant !== undefined ? { outcome: 'consumed', grant } : whyLost(key, now);
    },
    // RFC 9700 §4.14.2: a refresh token is consumed as its successor is issued. One IMMEDIATE
    // transaction, so no other connection sees the old token consumed without its successor, and a
    // successor that cannot be stored (DuplicateKeyError) rolls the consume back.
    async rotateGrant(key, successor, now) {
      return immediateTransaction(db, (): ConsumeGrantResult => {
        const grant = grantOf(consume.get(now, key, now));
        if (grant === undefined) return whyLost(key, now);
        insertGrant(successor);
        return { outcome: 'consumed', grant };
      });
    },
    async listGrants(filter) {
      const { statement, values } = filtered('SELECT', filter);
      return (statement.all(...values) as GrantRow[]).map(toGrant);
    },
    async updateGrantData(key, data, now) {
      return Number(updateData.run(data, key, now).changes) === 1;
    },
    async removeGrants(filter) {
      const { statement, values } = filtered('DELETE', filter);
      return Number(statement.run(...values).changes);
    },
    async removeExpiredGrants(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
