import { parseParameters } from '../endpoints/request-parameters.ts';
import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import { completeConsent, scopesForConsent } from '../interaction/complete.ts';
import type { AuthorizeInteraction } from '../interaction/interaction-data.ts';
import { csrfTokenMatches, InteractionError, type LoadedInteraction } from '../interaction/interactions.ts';
import { interactionErrorPage } from '../interaction/problem-page.ts';
import { isSameOriginForm } from './form-origin.ts';
import type { AccountDeps } from './login-endpoint.ts';

const consentFields = { interaction: 'single', csrf_token: 'single', decision: 'single', remember: 'single', scope: 'repeatable' } as const;

const redirect = (location: string): EndpointResponse => ({ status: 303, headers: { location, 'cache-control': 'no-store' } });

/** The built-in consent page (for clients with requireConsent): GET lists the scopes, POST records Allow or Deny. */
export function createConsentEndpoint(deps: AccountDeps): Endpoint {
  const { services, pages } = deps;
  const callback = (interaction: LoadedInteraction) => `${deps.callbackUrl}?interaction=${encodeURIComponent(interaction.id)}`;

  const show = async (request: EndpointRequest, interaction: LoadedInteraction<AuthorizeInteraction>, error?: 'csrf') => {
    const client = await services.stores.clients.findClientById(interaction.data.request.clientId);
    const scopes = scopesForConsent(interaction.data.request.scopes, await services.resources.get());
    const response = pages.consent(
      request,
      {
        interactionId: interaction.id,
        csrfToken: interaction.data.csrfToken,
        clientName: client?.clientName ?? interaction.data.request.clientId,
        identityScopes: scopes.identity,
        apiScopes: scopes.api,
        allowRemember: client?.allowRememberConsent ?? false,
        formActions: [interaction.data.request.redirectUri],
        error,
      },
      interaction.data.request.uiLocales,
    );
    return error === undefined ? response : { ...response, status: 403 };
  };

  return async (request) => {
    let interaction: LoadedInteraction<AuthorizeInteraction> | undefined;
    try {
      const id = request.method === 'POST' ? undefined : request.readQuery().find(([name]) => name === 'interaction')?.[1];
      const form = request.method === 'POST' ? parseParameters(await request.readForm(), consentFields) : undefined;
      const loaded = await deps.interactions.load(form?.interaction ?? id, request);
      if (loaded.data.kind !== 'authorize') throw new InteractionError('unknown');
      interaction = loaded as LoadedInteraction<AuthorizeInteraction>;
      // Consent belongs to a signed-in user; without a session the authorization asks for a sign-in first.
      const session = await deps.sessions.current(request);
      if (session === undefined || interaction.data.step !== 'consent') return redirect(callback(interaction));
      if (form === undefined) return await show(request, interaction);
      if (!isSameOriginForm(request, services.issuer) || !csrfTokenMatches(form.csrf_token, interaction.data.csrfToken)) return await show(request, interaction, 'csrf');
      const client = await services.stores.clients.findClientById(interaction.data.request.clientId);
      const next = await completeConsent(
        deps,
        interaction,
        session.subjectId,
        form.decision === 'allow' ? { allow: true, scopes: form.scope, remember: form.remember !== undefined && (client?.allowRememberConsent ?? false) } : { allow: false },
      );
      return redirect(next.location);
    } catch (error) {
      if (error instanceof InteractionError) return interactionErrorPage(pages, request, error, interaction?.data.request.uiLocales);
      throw error;
    }
  };
}
