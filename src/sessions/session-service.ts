import type { AuthenticationConfig } from '../config/schema.ts';
import type { EndpointRequest } from '../endpoints/types.ts';
import type { EventSink } from '../events/events.ts';
import type { Stores, UserSession } from '../stores/types.ts';
import type { Clock } from '../util/clock.ts';
import { handleKey, randomHandle } from '../util/crypto.ts';
import { clearCookie, setCookie } from '../util/set-cookie.ts';
import { cookieNames, type CookieNames } from './cookies.ts';

export interface SignIn {
  readonly subjectId: string;
  readonly amr: readonly string[];
  readonly acr?: string | undefined;
  /** "Remember me": a persistent cookie instead of a browser-session one. */
  readonly persistent: boolean;
  readonly userAgent?: string | undefined;
  readonly ipAddress?: string | undefined;
}

export interface SessionDeps {
  readonly stores: Pick<Stores, 'sessions'>;
  readonly clock: Clock;
  readonly events: EventSink;
  readonly authentication: AuthenticationConfig;
  readonly secure: boolean;
}

/**
 * Server-side sessions (Duende's server-side sessions): the cookie holds only a random handle, the
 * record (subject, sid, auth_time, amr, clients) lives in the store under the handle's hash, so sessions
 * survive restarts, can be listed and ended, and a stolen database holds no live cookie.
 */
export class SessionService {
  readonly cookies: CookieNames;
  readonly #deps: SessionDeps;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.cookies = cookieNames(deps.secure);
  }

  /** The browser's live session, if its cookie names one. */
  async current(request: Pick<EndpointRequest, 'cookie'>): Promise<UserSession | undefined> {
    const handle = request.cookie(this.cookies.session);
    if (handle === undefined || handle.length < 20 || handle.length > 100) return undefined;
    return this.#deps.stores.sessions.findSession(handleKey(handle), this.#deps.clock.now());
  }

  /**
   * Starts a new session: a fresh handle and `sid` at every sign-in, so no one can fix a session id in
   * advance (OWASP Session Management: renew on authentication). The previous session ends.
   */
  async signIn(signIn: SignIn, previous: UserSession | undefined): Promise<{ session: UserSession; cookie: string }> {
    const { stores, clock, events, authentication } = this.#deps;
    if (previous !== undefined) {
      await stores.sessions.removeSession(previous.key);
      events.emit({ type: 'session.ended', subjectId: previous.subjectId, sessionId: previous.sessionId, reason: 'replaced' });
    }
    const now = clock.now();
    const handle = randomHandle(32);
    const session: UserSession = {
      key: handleKey(handle),
      sessionId: randomHandle(16),
      subjectId: signIn.subjectId,
      authTime: now,
      amr: [...signIn.amr],
      acr: signIn.acr,
      clientIds: [],
      createdAt: now,
      lastActivityAt: now,
      expiresAt: now + authentication.cookieLifetime * 1000,
      persistent: signIn.persistent,
      userAgent: signIn.userAgent?.slice(0, 512),
      ipAddress: signIn.ipAddress,
    };
    await stores.sessions.createSession(session);
    return { session, cookie: this.#cookie(handle, session) };
  }

  /**
   * Records that `clientId` received tokens in the session (for logout) and, with sliding expiration,
   * moves its end. Undefined if the session ended meanwhile.
   */
  async touch(session: UserSession, clientId: string): Promise<UserSession | undefined> {
    const { stores, clock, authentication } = this.#deps;
    const now = clock.now();
    const sliding = authentication.cookieSlidingExpiration ? { expiresAt: now + authentication.cookieLifetime * 1000 } : {};
    return stores.sessions.touchSession(session.key, { clientId, lastActivityAt: now, ...sliding }, now);
  }

  /**
   * With sliding expiration a persistent cookie must move with the session's end, or the browser would
   * drop it first: the Set-Cookie line that renews it, else undefined.
   */
  renewedCookie(request: Pick<EndpointRequest, 'cookie'>, session: UserSession): string | undefined {
    if (!this.#deps.authentication.cookieSlidingExpiration || !session.persistent) return undefined;
    const handle = request.cookie(this.cookies.session);
    return handle === undefined ? undefined : this.#cookie(handle, session);
  }

  /** Ends a session; returns the Set-Cookie line that clears the cookie. */
  async end(session: UserSession | undefined): Promise<string> {
    if (session !== undefined) {
      const removed = await this.#deps.stores.sessions.removeSession(session.key);
      if (removed !== undefined) this.#deps.events.emit({ type: 'session.ended', subjectId: removed.subjectId, sessionId: removed.sessionId, reason: 'logout' });
    }
    return clearCookie(this.cookies.session, this.#deps.secure);
  }

  #cookie(handle: string, session: UserSession): string {
    // From the record's own times, both set at one reading of the clock: a second reading could round a second off.
    const maxAge = session.persistent ? (session.expiresAt - session.lastActivityAt) / 1000 : undefined;
    return setCookie(this.cookies.session, handle, { secure: this.#deps.secure, sameSite: 'Lax', ...(maxAge === undefined ? {} : { maxAge }) });
  }
}
