/** How the caller presented its credentials (RFC 6749 §2.3.1; OIDC Core §9 method names). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface PresentedCredentials {
  readonly method: ClientAuthMethod;
  readonly clientId: string;
  readonly secret?: string | undefined;
}
