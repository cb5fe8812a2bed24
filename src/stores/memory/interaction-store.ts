import { whyInteractionNotConsumable } from '../consume-outcome.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { Interaction, InteractionStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { removeExpiredEntries } from './remove-expired.ts';
import { snapshot } from './snapshot.ts';

export function createMemoryInteractionStore(gate: Gate): InteractionStore {
  const interactions = new Map<string, Interaction>();
  return {
    async createInteraction(interaction) {
      checkOpen(gate);
      if (interactions.has(interaction.key)) throw new DuplicateKeyError('interaction', interaction.key);
      interactions.set(interaction.key, snapshot(interaction));
    },
    async findInteraction(key) {
      checkOpen(gate);
      return interactions.get(key);
    },
    async updateInteraction(key, data, now) {
      checkOpen(gate);
      const interaction = interactions.get(key);
      if (interaction === undefined || interaction.consumedAt !== undefined || interaction.expiresAt <= now) return false;
      interactions.set(key, Object.freeze({ ...interaction, data }));
      return true;
    },
    // Atomic because it never awaits between the check and the write.
    async consumeInteraction(key, now) {
      checkOpen(gate);
      const interaction = interactions.get(key);
      if (interaction === undefined) return { outcome: 'unknown' };
      const refused = whyInteractionNotConsumable(interaction, now);
      if (refused !== undefined) return refused;
      interactions.set(key, Object.freeze({ ...interaction, consumedAt: now }));
      return { outcome: 'consumed', interaction };
    },
    async removeExpiredInteractions(now, limit) {
      checkOpen(gate);
      return removeExpiredEntries(interactions, now, limit, (interaction) => interaction.expiresAt);
    },
  };
}
