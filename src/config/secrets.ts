import { createHash } from 'node:crypto';
import type { StoredSecret } from '../stores/types.ts';
import type { IdProoConfig, SecretConfig } from './schema.ts';

const prehashed = /^(sha256|sha512):([A-Za-z0-9+/]+={0,2})$/;
const digestLength = { sha256: 32, sha512: 64 } as const;

export const hashSecretValue = (type: StoredSecret['type'], value: string): string =>
  createHash(type).update(value, 'utf8').digest('base64');

/** `sha256:<base64>` / `sha512:<base64>` of the right length is a hash written by the operator. */
export function parsePrehashed(value: string): Pick<StoredSecret, 'type' | 'hash'> | undefined {
  const match = prehashed.exec(value);
  if (!match) return undefined;
  const type = match[1] as StoredSecret['type'];
  return Buffer.from(match[2]!, 'base64').length === digestLength[type] ? { type, hash: match[2]! } : undefined;
}

const secretParts = (secret: SecretConfig) =>
  typeof secret === 'string' ? { value: secret, expiration: undefined, description: undefined } : secret;

/** Below this many characters a plain secret is short enough to guess from its stored, unsalted digest. */
export const minimumPlainSecretLength = 16;

/**
 * The paths of plain (not pre-hashed) secrets shorter than minimumPlainSecretLength. Secrets are kept
 * as a fast, unsalted digest, which is safe only for long random values: from a leaked database a
 * short one is found by trying candidates.
 */
export function shortPlainSecrets(config: Pick<IdProoConfig, 'clients' | 'apiResources'>): string[] {
  const short = (secrets: readonly SecretConfig[], path: string) =>
    secrets.flatMap((secret, i) => {
      const { value } = secretParts(secret);
      return parsePrehashed(value) || value.length >= minimumPlainSecretLength ? [] : [`${path}[${i}]`];
    });
  return [
    ...config.clients.flatMap((client, i) => short(client.clientSecrets, `clients[${i}].clientSecrets`)),
    ...config.apiResources.flatMap((resource, i) => short(resource.apiSecrets, `apiResources[${i}].apiSecrets`)),
  ];
}

/**
 * Turns a configured secret into its stored form. Client and API secrets are high-entropy shared
 * keys, so a fast digest is enough (Duende stores them as SHA-256/512 too); only the digest is kept.
 */
export function toStoredSecret(secret: SecretConfig): StoredSecret {
  const { value, expiration, description } = secretParts(secret);
  return {
    ...(parsePrehashed(value) ?? { type: 'sha256', hash: hashSecretValue('sha256', value) }),
    expiration: expiration === undefined ? undefined : Date.parse(expiration),
    description,
  };
}
