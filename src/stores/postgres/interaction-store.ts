import { checkLimit } from '../arguments.ts';
import { whyInteractionNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import { interactionColumns, toInteraction, type InteractionRow } from '../interaction-row.ts';
import type { ConsumeInteractionResult, InteractionStore } from '../types.ts';
import type { Database } from './database.ts';
import { uniqueViolation } from './unique-violation.ts';

const columns = interactionColumns;

const interactionOf = (rows: InteractionRow[]) => (rows[0] === undefined ? undefined : toInteraction(rows[0]));

const insert = `INSERT INTO interactions (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
const select = `SELECT ${columns} FROM interactions WHERE key = $1`;
// Conditional in the statement itself: a page that saves a step after the answer went back (or after
// expiry) must not change what was already decided.
const update = 'UPDATE interactions SET data = $1 WHERE key = $2 AND consumed_at IS NULL AND expires_at > $3';
// As the grant store's consume: one conditional statement, so of concurrent answers exactly one goes
// back to the client. consumed_at is left out of RETURNING to return the interaction as it was before.
const consume = `UPDATE interactions SET consumed_at = $1 WHERE key = $2 AND consumed_at IS NULL AND expires_at > $3
  RETURNING key, browser_key, client_id, created_at, expires_at, data`;
// Consumed interactions stay until they expire, so that a replayed answer is still recognised as one.
const removeExpired = `DELETE FROM interactions WHERE key IN (
  SELECT key FROM interactions WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function createPostgresInteractionStore(db: Database): InteractionStore {
  return {
    async createInteraction(interaction) {
      try {
        await db.query(insert, [
          interaction.key,
          interaction.browserKey,
          interaction.clientId,
          interaction.createdAt,
          interaction.expiresAt,
          interaction.consumedAt ?? null,
          interaction.data,
        ]);
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError('interaction', interaction.key, { cause: error }) : error;
      }
    },
    async findInteraction(key) {
      return interactionOf((await db.query<InteractionRow>(select, [key])).rows);
    },
    async updateInteraction(key, data, now) {
      return (await db.query(update, [data, key, now])).rowCount === 1;
    },
    // A loser is classified by a second read, which cannot make a second winner (see the grant store).
    async consumeInteraction(key, now): Promise<ConsumeInteractionResult> {
      const interaction = interactionOf((await db.query<InteractionRow>(consume, [now, key, now])).rows);
      if (interaction !== undefined) return { outcome: 'consumed', interaction };
      return whyInteractionNotConsumable(interactionOf((await db.query<InteractionRow>(select, [key])).rows), now) ?? { outcome: 'unknown' };
    },
    async removeExpiredInteractions(now, limit) {
      checkLimit(limit);
      return (await db.query(removeExpired, [now, limit])).rowCount;
    },
  };
}
