import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import { isOAuthError, OAuthError } from '../errors/oauth-error.ts';
import type { AuthorizeInteraction } from '../interaction/interaction-data.ts';
import { InteractionError, type Interactions, type LoadedInteraction } from '../interaction/interactions.ts';
import type { InteractionPages } from '../interaction/pages.ts';
import { interactionErrorPage } from '../interaction/problem-page.ts';
import type { Services } from '../provider/services.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { Client } from '../stores/types.ts';
import { storeAuthorizationCode } from '../tokens/authorization-code.ts';
import { verifyIdTokenHint } from '../tokens/id-token-hint.ts';
import { randomHandle } from '../util/crypto.ts';
import { epochSeconds } from '../util/clock.ts';
import { readClientAndRedirect, RedirectableError, validateAuthorizationRequest, type AuthorizationRequest } from './authorization-request.ts';
import { authorizationErrorResponse, authorizationResponse } from './authorization-response.ts';
import { decide, type Decision, type InteractionProgress } from './decide.ts';
import { isRegisteredRedirectUri } from './redirect-uri.ts';

export interface AuthorizeDeps {
  readonly services: Pick<Services, 'issuer' | 'clock' | 'stores' | 'resources' | 'keys' | 'events'>;
  readonly sessions: SessionService;
  readonly interactions: Interactions;
  readonly pages: InteractionPages;
  /** Absolute URLs of the sign-in and consent pages (built-in or the host's, userInteraction.*Url). */
  readonly urls: { readonly login: string; readonly consent: string };
}

const withQuery = (url: string, name: string, value: string) => `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;

const redirect = (location: string, cookies: readonly string[]): EndpointResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
});

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2), GET and POST: parse → validate the
 * client and redirect URI (failures shown as a page) → validate the rest (failures redirected to the
 * client) → decide → a sign-in or consent interaction, or the code.
 */
export function createAuthorizeEndpoint(deps: AuthorizeDeps): Endpoint {
  const { services } = deps;
  return async (request) => {
    let client: Client | undefined;
    let uiLocales: string | undefined;
    try {
      const pairs = request.method === 'POST' ? await request.readForm() : request.readQuery();
      // Even a page for a broken request speaks the user's language (OIDC Core §3.1.2.1 ui_locales).
      uiLocales = pairs.find(([name]) => name === 'ui_locales')?.[1];
      const { clientId, redirectUri } = readClientAndRedirect(pairs);
      client = await services.stores.clients.findClientById(clientId);
      if (client === undefined || !client.enabled) throw new OAuthError('unauthorized_client', 'the client is unknown or disabled');
      // OIDC Core §3.1.2.1 makes redirect_uri required; a mismatch is never redirected (RFC 6749 §4.1.2.1).
      if (redirectUri === undefined) throw new OAuthError('invalid_request', 'the redirect_uri parameter is missing');
      if (!isRegisteredRedirectUri(client, redirectUri)) throw new OAuthError('invalid_request', 'the redirect_uri is not registered for this client');
      const authorization = validateAuthorizationRequest(pairs, client, redirectUri, await services.resources.get());
      let hintSubject: string | undefined;
      if (authorization.idTokenHint !== undefined) {
        const hint = await verifyIdTokenHint(authorization.idTokenHint, services);
        if (hint === undefined) throw new RedirectableError(new OAuthError('invalid_request', 'the id_token_hint is not an ID token issued by this server'), authorization);
        hintSubject = hint.subjectId;
      }
      const session = await deps.sessions.current(request);
      const progress: InteractionProgress = { hintSubject };
      const decision = await decide(authorization, client, progress, session, { stores: services.stores, now: services.clock.now() });
      return await proceed(deps, request, client, authorization, decision, progress, undefined);
    } catch (error) {
      return answerFailure(deps, request, error, uiLocales);
    }
  };
}

/** Where the pages send the browser once a step is done: the request is decided again with what it gathered. */
export function createAuthorizeCallbackEndpoint(deps: AuthorizeDeps): Endpoint {
  const { services } = deps;
  return async (request) => {
    let uiLocales: string | undefined;
    try {
      const id = request.readQuery().find(([name]) => name === 'interaction')?.[1];
      const interaction = await deps.interactions.load(id, request);
      if (interaction.data.kind !== 'authorize') throw new InteractionError('unknown');
      const data = interaction.data;
      uiLocales = data.request.uiLocales;
      const client = await services.stores.clients.findClientById(data.request.clientId);
      if (client === undefined || !client.enabled) throw new OAuthError('unauthorized_client', 'the client is unknown or disabled');
      const session = await deps.sessions.current(request);
      const decision = await decide(data.request, client, data, session, { stores: services.stores, now: services.clock.now() });
      return await proceed(deps, request, client, data.request, decision, data, interaction as LoadedInteraction<AuthorizeInteraction>);
    } catch (error) {
      return answerFailure(deps, request, error, uiLocales);
    }
  };
}

async function proceed(
  deps: AuthorizeDeps,
  request: EndpointRequest,
  client: Client,
  authorization: AuthorizationRequest,
  decision: Decision,
  progress: InteractionProgress,
  interaction: LoadedInteraction<AuthorizeInteraction> | undefined,
): Promise<EndpointResponse> {
  const { services, pages } = deps;
  if (decision.kind === 'login' || decision.kind === 'consent') {
    const url = decision.kind === 'login' ? deps.urls.login : deps.urls.consent;
    if (interaction !== undefined) {
      // A sign-in that is needed again (the session ended meanwhile) forgets the consent given for the old one.
      const data: AuthorizeInteraction = { ...interaction.data, step: decision.kind, ...(decision.kind === 'login' ? { consent: undefined } : {}) };
      await deps.interactions.update(interaction, data);
      return redirect(withQuery(url, 'interaction', interaction.id), []);
    }
    const data: AuthorizeInteraction = { kind: 'authorize', request: authorization, hintSubject: progress.hintSubject, step: decision.kind, csrfToken: randomHandle(24) };
    const started = await deps.interactions.start(data, client.clientId, request);
    return redirect(withQuery(url, 'interaction', started.id), started.cookies);
  }
  // The interaction ends here, once: a second tab or a replayed callback gets the stale-interaction page.
  if (interaction !== undefined) await deps.interactions.consume(interaction);
  const formPost = (action: string, fields: Readonly<Record<string, string>>, cookies: readonly string[]) => pages.formPost(request, action, fields, cookies);
  if (decision.kind === 'error') return authorizationErrorResponse(authorization, services.issuer, decision.error, formPost);

  const now = services.clock.now();
  const session = await deps.sessions.touch(decision.session, client.clientId);
  if (session === undefined) return authorizationErrorResponse(authorization, services.issuer, new OAuthError('login_required', 'the session ended'), formPost);
  if (decision.remember !== undefined && client.allowRememberConsent) {
    const previous = await services.stores.consents.findConsent(session.subjectId, client.clientId, now);
    await services.stores.consents.saveConsent({
      subjectId: session.subjectId,
      clientId: client.clientId,
      scopes: [...new Set([...(previous?.scopes ?? []), ...decision.remember])],
      createdAt: now,
      expiresAt: client.consentLifetime === undefined ? undefined : now + client.consentLifetime * 1000,
    });
  }
  const code = await storeAuthorizationCode(
    {
      clientId: client.clientId,
      redirectUri: authorization.redirectUri,
      codeChallenge: authorization.codeChallenge,
      codeChallengeMethod: authorization.codeChallengeMethod,
      scopes: decision.scopes,
      resources: authorization.resources,
      nonce: authorization.nonce,
      subjectId: session.subjectId,
      sessionId: session.sessionId,
      authTime: epochSeconds(session.authTime),
      amr: session.amr,
      acr: session.acr,
      accessTokenJti: randomHandle(16),
    },
    client,
    now,
    services.stores.grants,
  );
  const renewed = deps.sessions.renewedCookie(request, session);
  return authorizationResponse(authorization, services.issuer, { code }, formPost, renewed === undefined ? [] : [renewed]);
}

function answerFailure(deps: AuthorizeDeps, request: EndpointRequest, error: unknown, uiLocales: string | undefined): EndpointResponse {
  const formPost = (action: string, fields: Readonly<Record<string, string>>, cookies: readonly string[]) => deps.pages.formPost(request, action, fields, cookies);
  if (error instanceof RedirectableError) return authorizationErrorResponse(error.target, deps.services.issuer, error, formPost);
  if (error instanceof InteractionError) return interactionErrorPage(deps.pages, request, error, uiLocales);
  if (isOAuthError(error) && error.status < 500) {
    return deps.pages.error(request, { status: error.status, error: error.code, description: error.description }, uiLocales);
  }
  throw error;
}
