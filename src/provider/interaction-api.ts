import type { IncomingMessage } from 'node:http';
import type { EndpointRequest } from '../endpoints/types.ts';
import { parseCookies } from '../http/cookies.ts';
import { completeConsent, completeLogin, scopesForConsent, type CompletionDeps, type Continuation, type SignedIn } from '../interaction/complete.ts';
import type { AuthorizeInteraction, LogoutInteraction } from '../interaction/interaction-data.ts';
import { InteractionError, type LoadedInteraction } from '../interaction/interactions.ts';
import type { ScopeChoice } from '../interaction/pages.ts';
import type { Prompt } from '../authorize/authorization-request.ts';
import type { Services } from './services.ts';

/** A pending sign-in or consent, as the host application's own page sees it. */
export interface InteractionDetails {
  readonly interactionId: string;
  /** What the user is asked for now. */
  readonly step: 'login' | 'consent';
  readonly client: { readonly clientId: string; readonly clientName?: string | undefined };
  readonly scopes: readonly string[];
  readonly identityScopes: readonly ScopeChoice[];
  readonly apiScopes: readonly ScopeChoice[];
  readonly prompt: readonly Prompt[];
  readonly loginHint?: string | undefined;
  readonly uiLocales?: string | undefined;
  readonly acrValues?: readonly string[] | undefined;
  /** The signed-in user, for the consent step. */
  readonly subjectId?: string | undefined;
}

export interface LogoutDetails {
  readonly logoutId: string;
  readonly client?: { readonly clientId: string; readonly clientName?: string | undefined } | undefined;
  readonly subjectId?: string | undefined;
}

export type ConsentResult = { readonly allow: false } | { readonly allow: true; readonly scopes?: readonly string[]; readonly remember?: boolean };

/**
 * The interaction API for a host application's own sign-in, consent and sign-out pages
 * (userInteraction.loginUrl, consentUrl, logoutUrl): read the pending request, then finish it. Each call
 * takes the browser's request, since an interaction is bound to the browser that started it. Each
 * finishing call returns where to send the browser (303) and the cookies to set on the way. A stale,
 * replayed or foreign id rejects with an InteractionError whose `problem` says which.
 */
export interface InteractionApi {
  details(interactionId: string, req: IncomingMessage): Promise<InteractionDetails>;
  /** The user is authenticated (by the host's own means): starts the session and continues the authorization. */
  login(interactionId: string, req: IncomingMessage, result: SignedIn): Promise<Continuation>;
  consent(interactionId: string, req: IncomingMessage, result: ConsentResult): Promise<Continuation>;
  logoutDetails(logoutId: string, req: IncomingMessage): Promise<LogoutDetails>;
  /** Ends the session. `location` is the client's post-logout URI, or undefined: show your own signed-out page. */
  logout(logoutId: string, req: IncomingMessage): Promise<{ readonly location?: string | undefined; readonly cookies: readonly string[] }>;
}

/** What the endpoints read of a request, from a node:http one. */
function fromNode(req: IncomingMessage): Pick<EndpointRequest, 'cookie' | 'header' | 'remoteAddress'> {
  const cookies = parseCookies(req.headers.cookie);
  return {
    cookie: (name) => cookies.get(name),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    remoteAddress: req.socket.remoteAddress,
  };
}

export function createInteractionApi(deps: CompletionDeps & { readonly services: Pick<Services, 'stores' | 'resources'> }): InteractionApi {
  const { services } = deps;
  const authorize = async (id: string, req: IncomingMessage) => {
    const interaction = await deps.interactions.load(id, fromNode(req));
    if (interaction.data.kind !== 'authorize') throw new InteractionError('unknown');
    return interaction as LoadedInteraction<AuthorizeInteraction>;
  };
  const logout = async (id: string, req: IncomingMessage) => {
    const interaction = await deps.interactions.load(id, fromNode(req));
    if (interaction.data.kind !== 'logout') throw new InteractionError('unknown');
    return interaction as LoadedInteraction<LogoutInteraction>;
  };
  const clientOf = async (clientId: string | undefined) => {
    if (!clientId) return undefined;
    const client = await services.stores.clients.findClientById(clientId);
    return { clientId, clientName: client?.clientName };
  };
  return {
    async details(interactionId, req) {
      const interaction = await authorize(interactionId, req);
      const { request, step } = interaction.data;
      const session = await deps.sessions.current(fromNode(req));
      const scopes = scopesForConsent(request.scopes, await services.resources.get());
      return {
        interactionId,
        step,
        client: (await clientOf(request.clientId))!,
        scopes: request.scopes,
        identityScopes: scopes.identity,
        apiScopes: scopes.api,
        prompt: request.prompt,
        loginHint: request.loginHint,
        uiLocales: request.uiLocales,
        acrValues: request.acrValues,
        subjectId: session?.subjectId,
      };
    },
    async login(interactionId, req, result) {
      const user = await services.stores.users.findUserBySubjectId(result.subjectId);
      if (user === undefined || !user.enabled) throw new TypeError(`no enabled user has the subject id ${result.subjectId}`);
      return completeLogin(deps, await authorize(interactionId, req), fromNode(req), result);
    },
    async consent(interactionId, req, result) {
      const interaction = await authorize(interactionId, req);
      const session = await deps.sessions.current(fromNode(req));
      if (session === undefined) throw new InteractionError('expired', interaction.data);
      const decision = result.allow ? { allow: true as const, scopes: result.scopes ?? interaction.data.request.scopes, remember: result.remember ?? false } : { allow: false as const };
      return completeConsent(deps, interaction, session.subjectId, decision);
    },
    async logoutDetails(logoutId, req) {
      const interaction = await logout(logoutId, req);
      const session = await deps.sessions.current(fromNode(req));
      return { logoutId, client: await clientOf(interaction.data.clientId), subjectId: session?.subjectId };
    },
    async logout(logoutId, req) {
      const interaction = await logout(logoutId, req);
      await deps.interactions.consume(interaction);
      const cookie = await deps.sessions.end(await deps.sessions.current(fromNode(req)));
      const { postLogoutRedirectUri: uri, state } = interaction.data;
      const location = uri === undefined || state === undefined ? uri : `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams({ state })}`;
      return { location, cookies: [cookie] };
    },
  };
}
