import type { EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import type { InteractionError } from './interactions.ts';
import type { InteractionPages } from './pages.ts';

/** The origin of the client's redirect URI: a way back to the application that never replays a protocol response. */
function applicationOrigin(error: InteractionError): string | undefined {
  const data = error.data;
  const uri = data?.kind === 'authorize' ? data.request.redirectUri : data?.kind === 'logout' ? data.postLogoutRedirectUri : undefined;
  if (uri === undefined || !URL.canParse(uri)) return undefined;
  const origin = new URL(uri).origin;
  return origin.startsWith('http') ? `${origin}/` : undefined;
}

/**
 * A stale, replayed or foreign interaction is not a protocol error the client should see: the user gets
 * a page that says what happened and links back to the application to start again.
 */
export function interactionErrorPage(pages: InteractionPages, request: EndpointRequest, error: InteractionError, uiLocales?: string): EndpointResponse {
  const code = error.problem === 'replayed' ? 'interaction_replayed' : 'interaction_expired';
  return pages.error(request, { status: 400, error: code, description: error.message, returnUri: applicationOrigin(error) }, uiLocales);
}
