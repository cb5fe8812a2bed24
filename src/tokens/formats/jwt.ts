import { constants, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { SigningAlgorithm } from '../../config/schema.ts';
import type { SigningKey, SigningKeyService } from '../../keys/signing-key-service.ts';

/**
 * The media type a JWT declares in its `typ` header (RFC 8725 §3.11: explicit typing, so one kind of
 * token is never taken for another): `at+jwt` for access tokens (RFC 9068 §2.1), `JWT` for ID tokens,
 * `logout+jwt` for logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4).
 */
export type JwtType = 'at+jwt' | 'JWT' | 'logout+jwt';

/** The encoded protected header changes only with the key and the type. */
const encodedHeaders = new WeakMap<SigningKey, Map<JwtType, string>>();

function encodedHeader(key: SigningKey, typ: JwtType): string {
  let byType = encodedHeaders.get(key);
  if (byType === undefined) encodedHeaders.set(key, (byType = new Map()));
  let header = byType.get(typ);
  if (header === undefined) byType.set(typ, (header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ })).toString('base64url')));
  return header;
}

/**
 * Signs claims this server built as a compact JWS (RFC 7515 §7.1) with the current key for `alg`. The
 * header is fixed per key and type, so the JWS is assembled here and signed with node:crypto's
 * asynchronous sign, on the thread pool as jose's WebCrypto signing is, at less cost to the event loop
 * (docs/decisions/0008-signing-access-tokens.md). jose still generates the keys, publishes them and
 * verifies every token.
 */
export async function signJwt(claims: object, alg: SigningAlgorithm, typ: JwtType, keys: SigningKeyService): Promise<string> {
  const key = await keys.signingKey(alg);
  const signingInput = `${encodedHeader(key, typ)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = await signAsync(alg, key.privateKey, Buffer.from(signingInput));
  return `${signingInput}.${signature.toString('base64url')}`;
}

function signAsync(alg: SigningAlgorithm, key: KeyObject, data: Buffer): Promise<Buffer> {
  // EdDSA hashes internally (RFC 8037 §3.1); the others sign a SHA-256 digest (RFC 7518 §3.1).
  const digest = alg === 'EdDSA' ? null : 'sha256';
  // RFC 7518 §3.5: PS256 is RSASSA-PSS with MGF1/SHA-256 and a salt as long as the digest. The key goes
  // in bare otherwise: on Node 24 an options object costs the event loop more than the hop to the pool.
  const input: KeyObject | SignKeyObjectInput = alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
  return new Promise((resolve, reject) => {
    sign(digest, data, input, (error, signature) => {
      if (error) reject(error);
      else resolve(alg === 'ES256' ? ecdsaP1363(signature, 32) : signature);
    });
  });
}

/**
 * RFC 7518 §3.4: an ECDSA JWS signature is r || s, each as a fixed-size big-endian number. OpenSSL returns
 * DER (SEQUENCE { INTEGER r, INTEGER s }); node:crypto's own `dsaEncoding: 'ieee-p1363'` conversion costs
 * about as much as the signature itself on Node 24, so it is done here.
 */
export function ecdsaP1363(der: Buffer, size: number): Buffer {
  const out = Buffer.alloc(2 * size);
  // For P-256 every DER length fits in one byte; the sequence header is 0x30 <length>.
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw new TypeError('not a DER ECDSA signature');
  let at = 2;
  for (const end of [size, 2 * size]) {
    const length = der[at + 1]!;
    let value = der.subarray(at + 2, at + 2 + length);
    // A leading zero only keeps the INTEGER positive (X.690 §8.3.2); it is not part of the number.
    if (value.length === size + 1 && value[0] === 0) value = value.subarray(1);
    if (der[at] !== 0x02 || value.length > size) throw new TypeError('not a DER ECDSA signature');
    value.copy(out, end - value.length);
    at += 2 + length;
  }
  return out;
}
