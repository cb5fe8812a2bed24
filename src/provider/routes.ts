import { createConsentEndpoint } from '../account/consent-endpoint.ts';
import { createLoginEndpoint } from '../account/login-endpoint.ts';
import type { SignInThrottle } from '../account/sign-in-throttle.ts';
import { createAuthorizeCallbackEndpoint, createAuthorizeEndpoint } from '../authorize/authorize-endpoint.ts';
import { demoPaths } from '../demo/demo-client.ts';
import type { DemoEndpoints } from '../demo/demo-endpoints.ts';
import { demoStylesheetEndpoint } from '../demo/demo-pages.ts';
import { createDiscoveryEndpoint } from '../endpoints/discovery.ts';
import { createReadinessEndpoint, livenessEndpoint } from '../endpoints/health.ts';
import { createIntrospectionEndpoint } from '../endpoints/introspect.ts';
import { createJwksEndpoint } from '../endpoints/jwks.ts';
import { paths } from '../endpoints/paths.ts';
import { createRevocationEndpoint } from '../endpoints/revoke.ts';
import { createTokenEndpoint } from '../endpoints/token.ts';
import { createUserInfoEndpoint } from '../endpoints/userinfo.ts';
import { bearerChallenge, jsonErrors, type ErrorPresenter } from '../errors/error-response.ts';
import type { GrantHandler } from '../grants/types.ts';
import type { Route } from '../http/handler.ts';
import type { CompletionDeps } from '../interaction/complete.ts';
import type { Interactions } from '../interaction/interactions.ts';
import type { InteractionPages } from '../interaction/pages.ts';
import { createEndSessionEndpoint, createLogoutPageEndpoint } from '../logout/end-session-endpoint.ts';
import { createLanguageEndpoint, stylesheetEndpoint } from '../pages/index.ts';
import type { SessionService } from '../sessions/session-service.ts';
import type { Services } from './services.ts';

/** What the browser-facing endpoints share (built once in create-idproo.ts). */
export interface InteractiveParts {
  readonly sessions: SessionService;
  readonly interactions: Interactions;
  readonly pages: InteractionPages;
  /** HTML error pages for failures no endpoint answered itself. */
  readonly presenter: ErrorPresenter;
  readonly throttle: SignInThrottle;
  readonly secure: boolean;
  readonly urls: { readonly login: string; readonly consent: string; readonly logout: string };
  readonly completion: CompletionDeps;
}

/** Every route the provider serves, in one list. */
export function routes(
  services: Services,
  grants: ReadonlyMap<string, GrantHandler>,
  discovery: Record<string, unknown>,
  propagationTime: number,
  interactive: InteractiveParts,
  /** The demo relying party's pages, only when the configuration has demoRelyingParty. */
  demo?: DemoEndpoints,
): Route[] {
  const discoveryEndpoint = createDiscoveryEndpoint(discovery);
  // RFC 9700 §2.6: browser apps call these, from the origins some client allows (`cors` on a route enables it).
  const cors = services.allowsCorsOrigin;
  const { sessions, interactions, pages, presenter } = interactive;
  const authorize = { services, sessions, interactions, pages, urls: interactive.urls };
  const account = { ...interactive.completion, services, pages, throttle: interactive.throttle };
  const logout = { services, sessions, interactions, pages, logoutUrl: interactive.urls.logout };
  const page = (path: string, endpoint: Route['endpoint'], methods: Route['methods'] = ['GET', 'POST']): Route => ({ path, methods, endpoint, errors: presenter });
  return [
    { path: paths.discovery, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.authorizationServerMetadata, methods: ['GET'], endpoint: discoveryEndpoint, publicCors: true },
    { path: paths.jwks, methods: ['GET'], endpoint: createJwksEndpoint(services.keys, propagationTime), publicCors: true },
    { path: paths.token, methods: ['POST'], endpoint: createTokenEndpoint(services, grants), cors },
    { path: paths.introspection, methods: ['POST'], endpoint: createIntrospectionEndpoint(services) },
    { path: paths.revocation, methods: ['POST'], endpoint: createRevocationEndpoint(services), cors },
    { path: paths.userinfo, methods: ['GET', 'POST'], endpoint: createUserInfoEndpoint(services), errors: jsonErrors(bearerChallenge), cors },
    { path: paths.liveness, methods: ['GET'], endpoint: livenessEndpoint },
    { path: paths.readiness, methods: ['GET'], endpoint: createReadinessEndpoint(services.stores) },
    page(paths.authorization, createAuthorizeEndpoint(authorize)),
    page(paths.authorizationCallback, createAuthorizeCallbackEndpoint(authorize), ['GET']),
    page(paths.login, createLoginEndpoint(account)),
    page(paths.consent, createConsentEndpoint(account)),
    page(paths.endSession, createEndSessionEndpoint(logout)),
    page(paths.logout, createLogoutPageEndpoint(logout)),
    page(paths.language, createLanguageEndpoint({ secure: interactive.secure, now: () => services.clock.now() }), ['GET']),
    page(paths.stylesheet, stylesheetEndpoint, ['GET']),
    ...(demo === undefined
      ? []
      : [
          page(demoPaths.home, demo.home, ['GET']),
          page(demoPaths.login, demo.login, ['GET']),
          page(demoPaths.callback, demo.callback, ['GET']),
          page(demoPaths.stylesheet, demoStylesheetEndpoint, ['GET']),
        ]),
  ];
}
