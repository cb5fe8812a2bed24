import { isPasswordHash } from '../config/passwords.ts';
import type { UserConfig } from '../config/schema.ts';
import type { Client } from '../stores/types.ts';

/** The demo's paths, relative to the issuer like every endpoint path. */
export const demoPaths = {
  home: '/demo',
  login: '/demo/login',
  callback: '/demo/callback',
  stylesheet: '/demo/demo.css',
} as const;

export interface DemoUrls {
  readonly home: string;
  readonly login: string;
  /** The redirect URI the demo sends: the client must register exactly this one. */
  readonly callback: string;
  readonly stylesheet: string;
}

export const demoUrls = (issuer: string): DemoUrls => ({
  home: issuer + demoPaths.home,
  login: issuer + demoPaths.login,
  callback: issuer + demoPaths.callback,
  stylesheet: issuer + demoPaths.stylesheet,
});

/** What the demo reads of its client. */
export type DemoClient = Pick<Client, 'clientId' | 'enabled' | 'requireClientSecret' | 'allowedGrantTypes' | 'redirectUris' | 'postLogoutRedirectUris' | 'allowedScopes'>;

/**
 * Why the demo cannot sign in as its client at this issuer, one sentence each, empty when nothing
 * stops it. The usual one: the server runs at another port or issuer than the client was registered
 * for (demo/idproo.json registers http://localhost:5000/demo/callback), so the authorization endpoint
 * would refuse the redirect URI (OIDC Core §3.1.2.1: exact match).
 */
export function demoClientProblems(clientId: string, client: DemoClient | undefined, issuer: string): string[] {
  if (client === undefined) return [`The client "${clientId}" that demoRelyingParty names is not configured; add it to "clients".`];
  const problems: string[] = [];
  if (!client.enabled) problems.push(`The client "${clientId}" is disabled; set "enabled": true.`);
  if (client.requireClientSecret) problems.push(`The demo is a public client and has no secret; set "requireClientSecret": false on "${clientId}".`);
  if (!client.allowedGrantTypes.includes('authorization_code')) problems.push(`The client "${clientId}" does not allow the authorization code grant; add "authorization_code" to its allowedGrantTypes.`);
  if (!client.allowedScopes.includes('openid')) problems.push(`The client "${clientId}" may not request "openid"; add it to its allowedScopes.`);
  const callback = demoUrls(issuer).callback;
  if (!client.redirectUris.includes(callback)) {
    const registered = client.redirectUris.find((uri) => uri.endsWith(demoPaths.callback));
    problems.push(
      registered === undefined
        ? `The client "${clientId}" does not register the redirect URI ${callback}; add it to its redirectUris.`
        : `The client "${clientId}" is registered for ${registered}, but this server's issuer is ${issuer}, so the sign-in would be refused. ` +
            `Start the server at ${registered.slice(0, -demoPaths.callback.length)} (npm start does), or add ${callback} to the client's redirectUris.`,
    );
  }
  return problems;
}

/**
 * A user of the configuration whose password is written there in plain text, to name on the demo
 * page and in the start output. The demo configuration's alice is one; a hashed password is never
 * shown, and a configuration without plain passwords gets no hint.
 */
export function demoUser(users: readonly UserConfig[]): { readonly username: string; readonly password: string } | undefined {
  const user = users.find((u) => u.enabled && !isPasswordHash(u.password));
  return user === undefined ? undefined : { username: user.username, password: user.password };
}
