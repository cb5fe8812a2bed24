import { parseParameters } from '../endpoints/request-parameters.ts';
import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import { completeLogin, type CompletionDeps } from '../interaction/complete.ts';
import type { AuthorizeInteraction } from '../interaction/interaction-data.ts';
import { csrfTokenMatches, InteractionError, type LoadedInteraction } from '../interaction/interactions.ts';
import type { InteractionPages, LoginView } from '../interaction/pages.ts';
import { interactionErrorPage } from '../interaction/problem-page.ts';
import type { Services } from '../provider/services.ts';
import { isSameOriginForm } from './form-origin.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import { verifyCredentials } from './users.ts';

export interface AccountDeps extends CompletionDeps {
  readonly services: Pick<Services, 'issuer' | 'clock' | 'stores' | 'resources' | 'events'>;
  readonly pages: InteractionPages;
  readonly throttle: SignInThrottle;
}

const loginFields = { interaction: 'single', csrf_token: 'single', username: 'single', password: 'single', remember: 'single' } as const;

const redirect = (location: string, cookies: readonly string[]): EndpointResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) },
});

async function loadAuthorize(deps: AccountDeps, id: string | undefined, request: EndpointRequest): Promise<LoadedInteraction<AuthorizeInteraction>> {
  const interaction = await deps.interactions.load(id, request);
  if (interaction.data.kind !== 'authorize') throw new InteractionError('unknown');
  return interaction as LoadedInteraction<AuthorizeInteraction>;
}

/** The built-in sign-in page: GET shows the form, POST checks the password and continues the authorization. */
export function createLoginEndpoint(deps: AccountDeps): Endpoint {
  const { services, pages } = deps;
  const show = async (request: EndpointRequest, interaction: LoadedInteraction<AuthorizeInteraction>, extra: Partial<LoginView>, status = 200) => {
    const client = await services.stores.clients.findClientById(interaction.data.request.clientId);
    const response = pages.login(
      request,
      {
        interactionId: interaction.id,
        csrfToken: interaction.data.csrfToken,
        username: interaction.data.request.loginHint,
        clientName: client?.clientName ?? client?.clientId,
        formActions: [interaction.data.request.redirectUri],
        ...extra,
      },
      interaction.data.request.uiLocales,
    );
    return status === response.status ? response : { ...response, status };
  };

  return async (request) => {
    let interaction: LoadedInteraction<AuthorizeInteraction> | undefined;
    try {
      if (request.method !== 'POST') {
        const id = request.readQuery().find(([name]) => name === 'interaction')?.[1];
        interaction = await loadAuthorize(deps, id, request);
        return await show(request, interaction, {});
      }
      const form = parseParameters(await request.readForm(), loginFields);
      interaction = await loadAuthorize(deps, form.interaction, request);
      const username = form.username ?? '';
      // A forged or cross-site post changes nothing and is shown as such (OWASP CSRF Prevention).
      if (!isSameOriginForm(request, services.issuer) || !csrfTokenMatches(form.csrf_token, interaction.data.csrfToken)) {
        return await show(request, interaction, { error: 'csrf', username }, 403);
      }
      const verdict = await deps.throttle.check(username, request.remoteAddress);
      if (!verdict.allowed) {
        services.events.emit({ type: 'login.failed', username, reason: 'throttled', remoteAddress: request.remoteAddress, clientId: interaction.data.request.clientId });
        const response = await show(request, interaction, { error: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds, username }, 429);
        return { ...response, headers: { ...response.headers, 'retry-after': String(verdict.retryAfterSeconds) } };
      }
      const user = await verifyCredentials(services.stores, username, form.password ?? '');
      if (user === undefined) {
        await deps.throttle.failed(username, request.remoteAddress);
        services.events.emit({ type: 'login.failed', username, reason: 'invalid_credentials', remoteAddress: request.remoteAddress, clientId: interaction.data.request.clientId });
        return await show(request, interaction, { error: 'invalid_credentials', username }, 401);
      }
      await deps.throttle.succeeded(username);
      const next = await completeLogin(deps, interaction, request, { subjectId: user.subjectId, amr: ['pwd'], remember: form.remember !== undefined });
      return redirect(next.location, next.cookies);
    } catch (error) {
      if (error instanceof InteractionError) return interactionErrorPage(pages, request, error, interaction?.data.request.uiLocales);
      throw error;
    }
  };
}
