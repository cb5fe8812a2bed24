import { compactVerify } from 'jose/jws/compact/verify';
import type { Services } from '../provider/services.ts';

export interface IdTokenHint {
  readonly subjectId: string;
  /** Audiences: the client(s) the token was issued to. */
  readonly audiences: readonly string[];
  readonly sessionId?: string | undefined;
}

/**
 * An ID token this server issued, passed back as `id_token_hint` (OIDC Core §3.1.2.1, RP-Initiated
 * Logout §2). Its signature and issuer are checked; its expiry is not, since relying parties send the
 * token they hold, often long expired, and it only hints. `typ` must be JWT: an access token (at+jwt)
 * is not an ID token (RFC 8725 §3.11). Undefined for anything else.
 */
export async function verifyIdTokenHint(token: string, deps: Pick<Services, 'issuer' | 'keys'>): Promise<IdTokenHint | undefined> {
  if (token.length > 16_384 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined;
  try {
    const { payload, protectedHeader } = await compactVerify(token, await deps.keys.verificationKeys(), { algorithms: [...deps.keys.algorithms] });
    if (protectedHeader.typ !== undefined && protectedHeader.typ !== 'JWT') return undefined;
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims['iss'] !== deps.issuer || typeof claims['sub'] !== 'string') return undefined;
    const aud = claims['aud'];
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
    if (audiences.length === 0) return undefined;
    const sid = claims['sid'];
    return { subjectId: claims['sub'], audiences, sessionId: typeof sid === 'string' ? sid : undefined };
  } catch {
    return undefined;
  }
}
