import { minimumPlainSecretLength } from '../config/secrets.ts';
import { consumedBodyMessage } from '../http/body.ts';
import type { Logger } from '../util/logger.ts';
import type { EventSink, IdProoEvent, IdProoEventType } from './events.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Logged<T extends IdProoEventType> = { readonly level: Level; readonly message: (event: Extract<IdProoEvent, { type: T }>) => string };

/** How each event is logged: its level and message. The event's fields are logged as they are. */
const logged: { readonly [T in IdProoEventType]: Logged<T> } = {
  // Per token: debug, so the default log level costs the token endpoint nothing.
  'token.issued': { level: 'debug', message: (e) => `${e.format} access token issued to ${e.clientId} (${e.grantType})` },
  'token.revoked': { level: 'info', message: (e) => `${e.format} access token revoked by ${e.clientId}` },
  'client.authentication_failed': { level: 'info', message: (e) => `client authentication failed${e.clientId === undefined ? '' : ` for ${e.clientId}`}: ${e.reason}` },
  'key.created': { level: 'info', message: () => 'signing key created' },
  'key.retired': { level: 'info', message: () => 'signing key retired' },
  'key.refresh_failed': { level: 'error', message: (e) => `reading the signing keys failed; the keys read last stay in use, retrying in ${e.retryInMs / 1000} s` },
  'key.unreadable': {
    level: 'warn',
    message: (e) =>
      `${e.unreadable.length} of ${e.unreadable.length + e.published.length} stored signing keys cannot be decrypted and are not published: ${e.unreadable.map((k) => k.kid).join(', ')}. ` +
      'Tokens they signed will not verify here. Every server sharing this database needs the same IDPROO_DATA_KEY; keys from another key are deleted when their retention ends',
  },
  'config.short_secrets': {
    level: 'warn',
    message: (e) =>
      `${e.paths.length} plain secret(s) shorter than ${minimumPlainSecretLength} characters (${e.paths.join(', ')}): secrets are stored as an unsalted SHA-256, ` +
      'so from a leaked database a short one can be guessed; use long random secrets (openssl rand -base64 32)',
  },
  'cleanup.completed': { level: 'debug', message: () => 'expired grants removed' },
  'cleanup.failed': { level: 'error', message: () => 'removing expired grants failed' },
  'http.body_consumed': { level: 'error', message: () => consumedBodyMessage },
  'login.succeeded': { level: 'info', message: (e) => `user ${e.subjectId} signed in` },
  'login.failed': { level: 'info', message: (e) => (e.reason === 'throttled' ? 'sign-in refused: too many failed attempts' : 'sign-in failed: wrong username or password') },
  'session.ended': { level: 'info', message: (e) => `session of user ${e.subjectId} ended (${e.reason})` },
  'consent.granted': { level: 'info', message: (e) => `user ${e.subjectId} allowed ${e.clientId}` },
  'consent.denied': { level: 'info', message: (e) => `user ${e.subjectId} denied ${e.clientId}` },
  'authorization_code.replayed': {
    level: 'warn',
    message: (e) => `an authorization code of ${e.clientId} was used twice; ${e.revoked} grant(s) issued from it revoked (RFC 6749 §4.1.2)`,
  },
  'refresh_token.reused': {
    level: 'warn',
    message: (e) => `a rotated refresh token of ${e.clientId} was used again; its family (${e.revoked} grant(s)) is revoked (RFC 9700 §4.14.2)`,
  },
  'refresh_token.grace_replayed': { level: 'info', message: (e) => `a just-rotated refresh token of ${e.clientId} was retried within its grace window; the same successor was returned` },
};

/**
 * The provider's event sink: every event is logged by the table above, then handed to `onEvent`. A
 * subscriber that throws is logged and otherwise ignored: an audit or metrics fault never fails a request.
 */
export function createEventSink(logger: Logger, onEvent?: (event: IdProoEvent) => void): EventSink {
  return {
    emit(event) {
      const { type, ...fields } = event;
      const row = logged[type] as Logged<typeof type>;
      logger[row.level]({ event: type, ...fields }, row.message(event as never));
      if (onEvent === undefined) return;
      try {
        onEvent(event);
      } catch (error) {
        logger.error({ event: 'events.subscriber_failed', type, err: error }, 'an onEvent subscriber threw; the event was logged and the request goes on');
      }
    },
  };
}
