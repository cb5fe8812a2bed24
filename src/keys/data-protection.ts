import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const version = 'v1';

/**
 * Encrypts secrets at rest (signing keys) with AES-256-GCM. The associated data binds each blob to
 * its record (the kid), so a ciphertext copied onto another record fails to decrypt.
 */
export class DataProtector {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new TypeError('the data-protection key must be 32 bytes');
    this.#key = key;
  }

  protect(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${version}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** Throws if the blob was not made with this key and associated data. */
  unprotect(blob: string, associatedData: string): string {
    const [tag, payload] = blob.split('.', 2);
    if (tag !== version || !payload) throw new Error('unknown data-protection format');
    const raw = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** Parses IDPROO_DATA_KEY: 32 bytes as base64, base64url or hex. */
export function parseDataKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new Error('IDPROO_DATA_KEY must be 32 random bytes written as base64 or hex; make one with: openssl rand -base64 32');
  }
  return key;
}

export interface DataKeySource {
  key: Buffer;
  /** Where the key came from, for the start-up log. */
  origin: 'environment' | 'key-file' | 'generated-key-file' | 'ephemeral';
  file?: string;
}

/**
 * Finds the data-protection key: IDPROO_DATA_KEY if set; otherwise a key file beside the database,
 * created with mode 0600 on first start (fine for one machine, but production must set the variable
 * so that every node and every restored backup can read the keys).
 */
export async function resolveDataKey(options: { envValue?: string | undefined; keyFile?: string | undefined }): Promise<DataKeySource> {
  if (options.envValue) return { key: parseDataKey(options.envValue), origin: 'environment' };
  if (!options.keyFile) return { key: randomBytes(32), origin: 'ephemeral' };
  try {
    return { key: parseDataKey(await readFile(options.keyFile, 'utf8')), origin: 'key-file', file: options.keyFile };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(options.keyFile), { recursive: true });
  // 'wx' fails if another process created the file meanwhile; read theirs instead of overwriting.
  try {
    await writeFile(options.keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveDataKey(options);
    throw error;
  }
  return { key, origin: 'generated-key-file', file: options.keyFile };
}
