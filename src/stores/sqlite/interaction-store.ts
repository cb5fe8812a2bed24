import type { DatabaseSync } from 'node:sqlite';
import { checkLimit } from '../arguments.ts';
import { whyInteractionNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import { interactionColumns, toInteraction, type InteractionRow } from '../interaction-row.ts';
import type { ConsumeInteractionResult, InteractionStore } from '../types.ts';
import { uniqueViolation } from './unique-violation.ts';

const columns = interactionColumns;

const interactionOf = (row: unknown) => (row === undefined ? undefined : toInteraction(row as InteractionRow));

export function createSqliteInteractionStore(db: DatabaseSync): InteractionStore {
  const insert = db.prepare(`INSERT INTO interactions (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare(`SELECT ${columns} FROM interactions WHERE key = ?`);
  // Conditional in the statement itself: a page that saves a step after the answer went back (or after
  // expiry) must not change what was already decided.
  const update = db.prepare('UPDATE interactions SET data = ? WHERE key = ? AND consumed_at IS NULL AND expires_at > ?');
  // As the grant store's consume: one conditional statement, so of concurrent answers exactly one goes
  // back to the client. RETURNING yields post-update values, so consumed_at is left out to return the
  // interaction as it was before.
  const consume = db.prepare(
    `UPDATE interactions SET consumed_at = ? WHERE key = ? AND consumed_at IS NULL AND expires_at > ?
     RETURNING key, browser_key, client_id, created_at, expires_at, data`,
  );
  // Consumed interactions stay until they expire, so that a replayed answer is still recognised as one.
  const removeExpired = db.prepare('DELETE FROM interactions WHERE rowid IN (SELECT rowid FROM interactions WHERE expires_at <= ? LIMIT ?)');

  return {
    async createInteraction(interaction) {
      try {
        insert.run(
          interaction.key,
          interaction.browserKey,
          interaction.clientId,
          interaction.createdAt,
          interaction.expiresAt,
          interaction.consumedAt ?? null,
          interaction.data,
        );
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('interaction', interaction.key, { cause: error }) : error;
      }
    },
    async findInteraction(key) {
      return interactionOf(select.get(key));
    },
    async updateInteraction(key, data, now) {
      return Number(update.run(data, key, now).changes) === 1;
    },
    // A loser is classified by a second read, which cannot make a second winner (see the grant store).
    async consumeInteraction(key, now): Promise<ConsumeInteractionResult> {
      const interaction = interactionOf(consume.get(now, key, now));
      if (interaction !== undefined) return { outcome: 'consumed', interaction };
      return whyInteractionNotConsumable(interactionOf(select.get(key)), now) ?? { outcome: 'unknown' };
    },
    async removeExpiredInteractions(now, limit) {
      checkLimit(limit);
      return Number(removeExpired.run(now, limit).changes);
    },
  };
}
