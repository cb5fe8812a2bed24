import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Endpoint, EndpointRequest, EndpointResponse } from '../endpoints/types.ts';
import { defaultErrors, type ErrorPresenter } from '../errors/error-response.ts';
import { OAuthError } from '../errors/oauth-error.ts';
import type { EventSink } from '../events/events.ts';
import type { Logger } from '../util/logger.ts';
import { parseForm, type FormPairs } from '../util/form-urlencoded.ts';
import { consumedBodyMessage, readBody } from './body.ts';
import { parseCookies } from './cookies.ts';
import { failureResponse, writeResponse } from './write.ts';

export interface Route {
  readonly path: string;
  readonly methods: readonly ('GET' | 'POST')[];
  readonly endpoint: Endpoint;
  /** How this route answers its errors; RFC 6749 §5.2 JSON with a Basic challenge unless it says otherwise. */
  readonly errors?: ErrorPresenter;
  /** Public metadata answers CORS preflights from any origin. */
  readonly publicCors?: boolean;
  /**
   * CORS for the origins this says yes to (Fetch §3.2), preflights included; nothing for the others.
   * Which origins is a protocol rule the provider decides (clients' allowedCorsOrigins); the transport
   * only asks.
   */
  readonly cors?: (origin: string) => boolean | Promise<boolean>;
}

/** A node:http request listener that Express also accepts as middleware (it calls `next` for paths it does not serve). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

export interface HandlerOptions {
  readonly logger: Logger;
  readonly events: EventSink;
  readonly maxBodyBytes: number;
}

const formType = 'application/x-www-form-urlencoded';

function contentTypeIsForm(value: string | undefined): boolean {
  if (!value) return false;
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase() === formType;
}

// The body may not have been read: close rather than read on past an ambiguous frame.
const repeatedHeader = (name: string) =>
  new OAuthError('invalid_request', `the ${name} header is sent more than once`, { headers: { connection: 'close' } });

/**
 * The one value of a header, from the raw lines: node:http keeps only the first line of a repeated
 * Authorization, Content-Type or Host in `req.headers`, so a second line would otherwise pass unseen.
 */
function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const field = raw[i]!;
    if (field.length !== name.length || field.toLowerCase() !== name) continue;
    if (value !== undefined) {
      req.resume();
      throw repeatedHeader(name);
    }
    value = raw[i + 1]!;
  }
  return value;
}

interface BodyReading {
  readonly maxBodyBytes: number;
  /** Logs, once per handler, that other middleware read the body first: the fault repeats on every request. */
  readonly reportConsumedBody: (requestId: string) => void;
}

/** The query string of the request target, without the '?'; '' when there is none. */
function queryOf(target: string): string {
  const question = target.indexOf('?');
  if (question === -1) return '';
  const hash = target.indexOf('#', question);
  return target.slice(question + 1, hash === -1 ? undefined : hash);
}

function endpointRequest(req: IncomingMessage, requestId: string, reading: BodyReading): EndpointRequest {
  let cookies: ReadonlyMap<string, string> | undefined;
  return {
    method: req.method ?? 'GET',
    requestId,
    remoteAddress: req.socket.remoteAddress,
    // Only a TLS socket has a peer certificate; getPeerX509Certificate is undefined on plain TCP.
    clientCertificate: (req.socket as Partial<TLSSocket>).getPeerX509Certificate?.(),
    header: (name) => singleHeader(req, name),
    // node:http hands the request target over as latin1 text, one character per byte (its parser refuses
    // raw non-ASCII bytes anyway), so the bytes are recovered and decoded as strictly as a body.
    readQuery: () => parseForm(Buffer.from(queryOf(req.url ?? ''), 'latin1')),
    // Node joins the lines of a repeated Cookie header with "; " (RFC 9113 §8.2.3 allows splitting it).
    cookie: (name) => (cookies ??= parseCookies(req.headers.cookie)).get(name),
    async readForm(): Promise<FormPairs> {
      const contentType = singleHeader(req, 'content-type');
      // Read only to refuse a repeat; Node's parser already refuses most, this keeps the rule in one place.
      singleHeader(req, 'content-length');
      // RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1: parameters come form-encoded in the body.
      if (!contentTypeIsForm(contentType)) {
        req.resume();
        throw new OAuthError('invalid_request', `the request body must be ${formType}`, { headers: { connection: 'close' } });
      }
      const body = readBody(req, reading.maxBodyBytes);
      if (body === undefined) {
        reading.reportConsumedBody(requestId);
        throw new OAuthError('server_error', consumedBodyMessage, { reported: true });
      }
      return parseForm(await body);
    },
  };
}

/** The path of the request target; RFC 9112 §3.2.2: the absolute form is accepted like the origin form. */
function pathOf(target: string): string {
  if (target.startsWith('/')) {
    const query = target.indexOf('?');
    return query === -1 ? target : target.slice(0, query);
  }
  return URL.canParse(target) ? new URL(target).pathname : target;
}

// Fetch §3.2.5: the request headers a page may send to a CORS route (DPoP joins them with RFC 9449).
const corsAllowedHeaders = 'authorization, content-type';
const corsMaxAgeSeconds = '3600';

/**
 * A CORS route's answer to `origin` (undefined: no CORS for this request). The answer depends on the
 * Origin header, so caches are told so (Vary: Origin) whatever it is.
 */
function withCors(response: EndpointResponse, origin: string | undefined): EndpointResponse {
  const cors: Record<string, string> = { vary: 'Origin' };
  if (origin !== undefined) cors['access-control-allow-origin'] = origin;
  return { ...response, headers: { ...response.headers, ...cors } };
}

/** Transport only: finds the route, checks the method, runs the endpoint and writes what it returns. */
export function createRequestHandler(routes: readonly Route[], options: HandlerOptions): RequestHandler {
  const table = new Map(routes.map((route) => [route.path, route]));
  const { logger, events, maxBodyBytes } = options;
  let consumedBodyReported = false;
  const reading: BodyReading = {
    maxBodyBytes,
    reportConsumedBody(requestId) {
      if (consumedBodyReported) return;
      consumedBodyReported = true;
      events.emit({ type: 'http.body_consumed', requestId });
    },
  };

  /** Answers a request to `route`; `corsOrigin` is its Origin when the route's CORS rule allows it. */
  function serve(req: IncomingMessage, res: ServerResponse, route: Route, corsOrigin: string | undefined): void {
    const method = req.method ?? 'GET';
    const present = route.errors ?? defaultErrors;
    const write = (response: EndpointResponse, headOnly = false) => writeResponse(res, route.cors ? withCors(response, corsOrigin) : response, headOnly);
    // Fetch §3.2.2: a preflight is an OPTIONS request carrying Access-Control-Request-Method.
    if (corsOrigin !== undefined && method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      req.resume();
      return write({
        status: 204,
        headers: { 'access-control-allow-methods': route.methods.join(', '), 'access-control-allow-headers': corsAllowedHeaders, 'access-control-max-age': corsMaxAgeSeconds },
      });
    }
    if (route.publicCors && method === 'OPTIONS') {
      return write({
        status: 204,
        headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': route.methods.join(', '), 'access-control-max-age': '86400' },
      });
    }
    const allowed = method === 'HEAD' ? route.methods.includes('GET') : (route.methods as readonly string[]).includes(method);
    if (!allowed) {
      req.resume();
      const allow = route.methods.includes('GET') ? [...route.methods, 'HEAD'].join(', ') : route.methods.join(', ');
      const error = new OAuthError('invalid_request', `this endpoint accepts ${route.methods.join(' and ')} only`, { status: 405, headers: { allow, connection: 'close' } });
      return write(failureResponse(error, '-', logger, present));
    }

    const requestId = randomUUID();
    const respond = (response: EndpointResponse) => write(response, method === 'HEAD');
    const fail = (error: unknown) => respond(failureResponse(error, requestId, logger, present));
    try {
      const result = route.endpoint(endpointRequest(req, requestId, reading));
      if (result instanceof Promise) result.then(respond, fail);
      else respond(result);
    } catch (error) {
      fail(error);
    }
  }

  return (req, res, next) => {
    const route = table.get(pathOf(req.url ?? '/'));
    if (!route) {
      if (next) return next();
      return writeResponse(res, failureResponse(new OAuthError('not_found', 'no endpoint at this path'), '-', logger));
    }
    const present = route.errors ?? defaultErrors;
    // RFC 9112 §3.2: a request with more than one Host line MUST be answered 400; node:http does not.
    try {
      singleHeader(req, 'host');
    } catch (error) {
      return writeResponse(res, failureResponse(error, '-', logger, present));
    }
    // Node joins repeated Origin lines with ", ", which no rule allows: such a request gets no CORS.
    const origin = route.cors ? req.headers.origin : undefined;
    if (origin === undefined) return serve(req, res, route, undefined);
    const failed = (error: unknown) => {
      req.resume();
      writeResponse(res, failureResponse(error, '-', logger, present));
    };
    try {
      const verdict = route.cors!(origin);
      if (verdict instanceof Promise) verdict.then((yes) => serve(req, res, route, yes ? origin : undefined), failed);
      else serve(req, res, route, verdict ? origin : undefined);
    } catch (error) {
      failed(error);
    }
  };
}
