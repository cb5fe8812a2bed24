import { checkLimit } from '../arguments.ts';
import type { Consent, ConsentStore } from '../types.ts';
import { checkOpen, type Gate } from './gate.ts';
import { snapshot } from './snapshot.ts';

const live = (consent: Consent | undefined, now: number) => (consent !== undefined && (consent.expiresAt === undefined || consent.expiresAt > now) ? consent : undefined);

export function createMemoryConsentStore(gate: Gate): ConsentStore {
  // Keyed by subject, then client: the two ids may contain any character, so no joined string key.
  const consents = new Map<string, Map<string, Consent>>();
  return {
    async findConsent(subjectId, clientId, now) {
      checkOpen(gate);
      return live(consents.get(subjectId)?.get(clientId), now);
    },
    async saveConsent(consent) {
      checkOpen(gate);
      let bySubject = consents.get(consent.subjectId);
      if (bySubject === undefined) consents.set(consent.subjectId, (bySubject = new Map()));
      bySubject.delete(consent.clientId);
      bySubject.set(consent.clientId, snapshot(consent));
    },
    async removeConsent(subjectId, clientId) {
      checkOpen(gate);
      const bySubject = consents.get(subjectId);
      const removed = bySubject?.delete(clientId) ?? false;
      // An emptied subject goes too, so that revoked and expired consents leave nothing behind.
      if (bySubject?.size === 0) consents.delete(subjectId);
      return removed;
    },
    async listConsents(subjectId, now) {
      checkOpen(gate);
      return [...(consents.get(subjectId)?.values() ?? [])].filter((c) => live(c, now) !== undefined).sort((a, b) => a.createdAt - b.createdAt);
    },
    async removeExpiredConsents(now, limit) {
      checkOpen(gate);
      checkLimit(limit);
      let removed = 0;
      for (const [subjectId, bySubject] of consents) {
        for (const [clientId, consent] of bySubject) {
          if (removed >= limit) return removed;
          if (live(consent, now) === undefined) {
            bySubject.delete(clientId);
            removed++;
          }
        }
        if (bySubject.size === 0) consents.delete(subjectId);
      }
      return removed;
    },
  };
}
