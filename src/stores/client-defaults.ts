import type { Client } from './types.ts';

type InteractiveSettings = Omit<
  Client,
  | 'clientId' | 'clientName' | 'enabled' | 'clientSecrets' | 'requireClientSecret' | 'allowedGrantTypes' | 'redirectUris'
  | 'postLogoutRedirectUris' | 'allowedScopes' | 'requirePkce' | 'requireConsent' | 'allowOfflineAccess' | 'accessTokenType'
  | 'accessTokenLifetime' | 'consentLifetime' | 'userSsoLifetime'
>;

/**
 * The defaults of the client settings added with interactive sign-in (Duende's, except a 60 s code as
 * RFC 6749 §4.1.2 recommends). The configuration schema applies them to the file's clients; stores apply
 * them to clients they wrote before these settings existed, so such a row reads as a whole Client.
 */
export const clientDefaults: InteractiveSettings = Object.freeze({
  allowPlainTextPkce: false,
  allowRememberConsent: true,
  identityTokenLifetime: 300,
  authorizationCodeLifetime: 60,
  refreshTokenUsage: 'OneTimeOnly',
  refreshTokenExpiration: 'Absolute',
  absoluteRefreshTokenLifetime: 2_592_000,
  slidingRefreshTokenLifetime: 1_296_000,
  refreshTokenGraceSeconds: 0,
  allowedCorsOrigins: Object.freeze([]) as readonly string[],
  allowedIdentityTokenSigningAlgorithms: Object.freeze([]) as readonly string[],
  alwaysIncludeUserClaimsInIdToken: false,
  updateAccessTokenClaimsOnRefresh: false,
});

/** A stored client with the settings it lacks filled in from clientDefaults. */
export const withClientDefaults = (stored: Partial<Client> & Pick<Client, 'clientId'>): Client => ({ ...clientDefaults, ...stored }) as Client;
