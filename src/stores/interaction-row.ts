import type { Interaction } from './types.ts';

/** An interaction as both SQL backends store it: snake_case columns, NULL for an absent field. */
export type InteractionRow = {
  key: string;
  browser_key: string;
  client_id: string;
  created_at: number;
  expires_at: number;
  consumed_at?: number | null;
  data: string;
};

export const interactionColumns = 'key, browser_key, client_id, created_at, expires_at, consumed_at, data';

// NULL columns become absent properties (not `undefined` ones), matching what the memory store returns.
export function toInteraction(row: InteractionRow): Interaction {
  const interaction: { -readonly [K in keyof Interaction]: Interaction[K] } = {
    key: row.key,
    browserKey: row.browser_key,
    clientId: row.client_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    data: row.data,
  };
  if (row.consumed_at !== undefined && row.consumed_at !== null) interaction.consumedAt = row.consumed_at;
  return interaction;
}
