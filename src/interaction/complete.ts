import type { EndpointRequest } from '../endpoints/types.ts';
import type { EventSink } from '../events/events.ts';
import type { ResourceIndex } from '../resources/resource-index.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { AuthorizeInteraction, ConsentDecision } from './interaction-data.ts';
import type { Interactions, LoadedInteraction } from './interactions.ts';

export interface CompletionDeps {
  readonly sessions: SessionService;
  readonly interactions: Interactions;
  readonly events: EventSink;
  /** Absolute URL of the authorization callback. */
  readonly callbackUrl: string;
}

export interface SignedIn {
  readonly subjectId: string;
  /** RFC 8176 values; `pwd` for a password. */
  readonly amr?: readonly string[];
  readonly acr?: string;
  readonly remember?: boolean;
}

/** Where the browser goes next and the cookies it gets on the way. */
export interface Continuation {
  readonly location: string;
  readonly cookies: readonly string[];
}

const callback = (deps: CompletionDeps, interaction: LoadedInteraction) => `${deps.callbackUrl}?interaction=${encodeURIComponent(interaction.id)}`;

/** A user signed in for the interaction: a new session (never the old id), then back to the authorization request. */
export async function completeLogin(
  deps: CompletionDeps,
  interaction: LoadedInteraction<AuthorizeInteraction>,
  request: Pick<EndpointRequest, 'cookie' | 'header' | 'remoteAddress'>,
  result: SignedIn,
): Promise<Continuation> {
  const previous = await deps.sessions.current(request);
  const { session, cookie } = await deps.sessions.signIn(
    {
      subjectId: result.subjectId,
      amr: result.amr ?? ['pwd'],
      acr: result.acr,
      persistent: result.remember ?? false,
      userAgent: request.header('user-agent'),
      ipAddress: request.remoteAddress,
    },
    previous,
  );
  await deps.interactions.update(interaction, { ...interaction.data, signedInAt: session.authTime, consent: undefined });
  deps.events.emit({ type: 'login.succeeded', subjectId: session.subjectId, sessionId: session.sessionId, clientId: interaction.data.request.clientId });
  return { location: callback(deps, interaction), cookies: [cookie] };
}

/**
 * The user's consent decision. Only requested scopes can be granted, and `openid` stays granted when it
 * was requested (it is what makes the request an OpenID Connect one).
 */
export async function completeConsent(
  deps: CompletionDeps,
  interaction: LoadedInteraction<AuthorizeInteraction>,
  subjectId: string,
  decision: { readonly allow: false } | { readonly allow: true; readonly scopes: readonly string[]; readonly remember: boolean },
): Promise<Continuation> {
  const { request } = interaction.data;
  let consent: ConsentDecision;
  if (decision.allow) {
    const granted = request.scopes.filter((scope) => scope === 'openid' || decision.scopes.includes(scope));
    consent = { granted, remember: decision.remember };
    deps.events.emit({ type: 'consent.granted', subjectId, clientId: request.clientId, scopes: granted, remembered: decision.remember });
  } else {
    consent = { denied: true };
    deps.events.emit({ type: 'consent.denied', subjectId, clientId: request.clientId });
  }
  await deps.interactions.update(interaction, { ...interaction.data, consent });
  return { location: callback(deps, interaction), cookies: [] };
}

/** The requested scopes as the consent page lists them, identity scopes first (OIDC Core §5.4). */
export function scopesForConsent(scopes: readonly string[], index: ResourceIndex) {
  const identity = scopes.filter((s) => index.identityResources.has(s)).map((name) => {
    const resource = index.identityResources.get(name)!;
    return { name, displayName: resource.displayName, description: resource.description, required: name === 'openid', checked: true };
  });
  const api = scopes.filter((s) => !index.identityResources.has(s)).map((name) => {
    const scope = index.apiScopes.get(name);
    return { name, displayName: scope?.displayName, description: scope?.description, required: false, checked: true };
  });
  return { identity, api };
}
