import { hashPassword, verifyPassword } from '../config/passwords.ts';
import type { Stores, User } from '../stores/types.ts';

let decoy: Promise<string> | undefined;

/**
 * The user whose username and password these are, or undefined. An unknown or disabled user costs one
 * argon2id verification like a known one (against a decoy hash), so the answer time does not reveal
 * which usernames exist (OWASP Authentication Cheat Sheet, "Authentication and error messages").
 */
export async function verifyCredentials(stores: Pick<Stores, 'users'>, username: string, password: string): Promise<User | undefined> {
  const user = username.length > 256 || password.length > 1024 ? undefined : await stores.users.findUserByUsername(username);
  decoy ??= hashPassword('idproo decoy password');
  const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash ?? (await decoy));
  return ok && user !== undefined && user.enabled ? user : undefined;
}
