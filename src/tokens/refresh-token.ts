import type { Services } from '../provider/services.ts';
import type { Client } from '../stores/types.ts';

/*
 * PLACEHOLDER, so the authorization code grant compiles: the refresh token module is written on its own
 * branch (refresh_token grant and issuance) and replaces this file whole. Only the signature is agreed.
 */

export async function issueRefreshToken(
  input: { client: Client; subjectId: string; sessionId: string; scopes: readonly string[]; resources?: readonly string[]; authTime: number; amr: readonly string[]; acr?: string; familyId: string; accessTokenJti: string; accessTokenExpiresAt: number },
  deps: Pick<Services, 'clock' | 'stores'>,
): Promise<string> {
  void input;
  void deps;
  throw new Error('issueRefreshToken is not implemented yet (placeholder for the refresh token branch)');
}
