import { isOAuthError, OAuthError } from '../errors/oauth-error.ts';
import { parseParameters } from '../endpoints/request-parameters.ts';
import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import { isSameOriginForm } from '../account/form-origin.ts';
import type { LogoutInteraction } from '../interaction/interaction-data.ts';
import { csrfTokenMatches, InteractionError, type Interactions, type LoadedInteraction } from '../interaction/interactions.ts';
import type { InteractionPages } from '../interaction/pages.ts';
import { interactionErrorPage } from '../interaction/problem-page.ts';
import type { Services } from '../provider/services.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { Client } from '../stores/types.ts';
import { verifyIdTokenHint } from '../tokens/id-token-hint.ts';
import { randomHandle } from '../util/crypto.ts';

export interface LogoutDeps {
  readonly services: Pick<Services, 'issuer' | 'clock' | 'stores' | 'keys' | 'events'>;
  readonly sessions: SessionService;
  readonly interactions: Interactions;
  readonly pages: InteractionPages;
  /** Absolute URL of the sign-out confirmation page (built-in or userInteraction.logoutUrl). */
  readonly logoutUrl: string;
}

// RP-Initiated Logout 1.0 §2.
const parameters = { id_token_hint: 'single', client_id: 'single', post_logout_redirect_uri: 'single', state: 'single', ui_locales: 'single', logout_hint: 'single' } as const;

const redirect = (location: string, cookies: readonly string[]): EndpointResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
});

/** Where the user goes once signed out: the client's registered URI with `state`, or the signed-out page. */
export function afterLogout(deps: Pick<LogoutDeps, 'pages'>, request: EndpointRequest, logout: Omit<LogoutInteraction, 'kind' | 'csrfToken'>, cookie: string, clientName?: string): EndpointResponse {
  if (logout.postLogoutRedirectUri !== undefined) {
    const uri = logout.postLogoutRedirectUri;
    const location = logout.state === undefined ? uri : `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams({ state: logout.state })}`;
    return redirect(location, [cookie]);
  }
  return deps.pages.signedOut(request, { clientName }, logout.uiLocales, [cookie]);
}

/**
 * OpenID Connect RP-Initiated Logout 1.0: GET and POST. With a valid `id_token_hint` for the signed-in
 * user (or nobody signed in) the session ends at once; otherwise the user confirms on the sign-out page,
 * so a cross-site link cannot sign anyone out. A post_logout_redirect_uri must be registered for the
 * client, found from `client_id` or the hint's audience (§3); a mismatch is shown, never followed.
 */
export function createEndSessionEndpoint(deps: LogoutDeps): Endpoint {
  const { services, pages } = deps;
  return async (request) => {
    let uiLocales: string | undefined;
    try {
      const pairs = request.method === 'POST' ? await request.readForm() : request.readQuery();
      const params = parseParameters(pairs, parameters);
      uiLocales = params.ui_locales;
      const hint = params.id_token_hint === undefined ? undefined : await verifyIdTokenHint(params.id_token_hint, services);
      if (params.id_token_hint !== undefined && hint === undefined) throw new OAuthError('invalid_request', 'the id_token_hint is not an ID token issued by this server');
      if (hint !== undefined && params.client_id !== undefined && !hint.audiences.includes(params.client_id)) {
        throw new OAuthError('invalid_request', 'the id_token_hint was not issued to this client_id');
      }
      const clientId = params.client_id ?? (hint?.audiences.length === 1 ? hint.audiences[0] : undefined);
      let client: Client | undefined;
      if (clientId !== undefined) {
        client = await services.stores.clients.findClientById(clientId);
        if (client === undefined || !client.enabled) throw new OAuthError('invalid_request', 'the client is unknown or disabled');
      }
      const postLogoutRedirectUri = params.post_logout_redirect_uri;
      if (postLogoutRedirectUri !== undefined) {
        if (client === undefined) throw new OAuthError('invalid_request', 'a post_logout_redirect_uri needs client_id or an id_token_hint to identify the client');
        if (!client.postLogoutRedirectUris.includes(postLogoutRedirectUri)) throw new OAuthError('invalid_request', 'the post_logout_redirect_uri is not registered for this client');
      }
      const logout = { clientId: client?.clientId, postLogoutRedirectUri, state: params.state, uiLocales };
      const session = await deps.sessions.current(request);
      const confirmed = session === undefined || (hint !== undefined && hint.subjectId === session.subjectId);
      if (confirmed) return afterLogout(deps, request, logout, await deps.sessions.end(session), client?.clientName);
      const started = await deps.interactions.start({ kind: 'logout', ...logout, csrfToken: randomHandle(24) }, client?.clientId ?? '', request);
      return redirect(`${deps.logoutUrl}${deps.logoutUrl.includes('?') ? '&' : '?'}logout_id=${encodeURIComponent(started.id)}`, started.cookies);
    } catch (error) {
      if (isOAuthError(error) && error.status < 500) return pages.error(request, { status: error.status, error: error.code, description: error.description }, uiLocales);
      throw error;
    }
  };
}

const confirmFields = { logout_id: 'single', csrf_token: 'single' } as const;

/** The built-in sign-out confirmation: GET asks, POST (with its CSRF token) signs out. */
export function createLogoutPageEndpoint(deps: LogoutDeps): Endpoint {
  const { services, pages } = deps;
  const load = async (id: string | undefined, request: EndpointRequest) => {
    const interaction = await deps.interactions.load(id, request);
    if (interaction.data.kind !== 'logout') throw new InteractionError('unknown');
    return interaction as LoadedInteraction<LogoutInteraction>;
  };
  return async (request) => {
    let interaction: LoadedInteraction<LogoutInteraction> | undefined;
    try {
      if (request.method !== 'POST') {
        interaction = await load(request.readQuery().find(([name]) => name === 'logout_id')?.[1], request);
        const client = interaction.data.clientId ? await services.stores.clients.findClientById(interaction.data.clientId) : undefined;
        const formActions = interaction.data.postLogoutRedirectUri === undefined ? [] : [interaction.data.postLogoutRedirectUri];
        return pages.logout(request, { logoutId: interaction.id, csrfToken: interaction.data.csrfToken, clientName: client?.clientName, formActions }, interaction.data.uiLocales);
      }
      const form = parseParameters(await request.readForm(), confirmFields);
      interaction = await load(form.logout_id, request);
      if (!isSameOriginForm(request, services.issuer) || !csrfTokenMatches(form.csrf_token, interaction.data.csrfToken)) {
        return pages.error(request, { status: 403, error: 'csrf', description: 'the sign-out form is not from this page; try again' }, interaction.data.uiLocales);
      }
      await deps.interactions.consume(interaction);
      const client = interaction.data.clientId ? await services.stores.clients.findClientById(interaction.data.clientId) : undefined;
      return afterLogout(deps, request, interaction.data, await deps.sessions.end(await deps.sessions.current(request)), client?.clientName);
    } catch (error) {
      if (error instanceof InteractionError) return interactionErrorPage(pages, request, error, interaction?.data.uiLocales);
      throw error;
    }
  };
}
