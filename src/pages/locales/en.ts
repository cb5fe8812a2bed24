/**
 * The English catalog: the source of every message key. `Catalog` is derived from it, so another
 * locale that misses a key, or a parameter, does not type-check.
 */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A wait as a person reads it: seconds under a minute, whole minutes (rounded up) beyond. */
const wait = (seconds: number) => (seconds < 60 ? plural(seconds, 'second', 'seconds') : plural(Math.ceil(seconds / 60), 'minute', 'minutes'));

export const en = {
  language: 'Language',
  pageTitle: (title: string, product: string) => `${title} – ${product}`,

  loginTitle: 'Sign in',
  loginIntro: (client: string | undefined) => (client ? `Sign in to continue to ${client}.` : 'Sign in to continue.'),
  username: 'Username',
  password: 'Password',
  rememberMe: 'Remember me',
  signIn: 'Sign in',
  // One message for an unknown user and a wrong password, so the page does not reveal which
  // usernames exist (OWASP Authentication Cheat Sheet, "Authentication and Error Messages").
  invalidCredentials: 'Wrong username or password.',
  throttled: (seconds: number | undefined) =>
    seconds === undefined ? 'Too many attempts. Please try again later.' : `Too many attempts. Please try again in ${wait(seconds)}.`,
  formExpired: 'This form has expired or was already sent. Please try again.',

  consentTitle: 'Allow access',
  consentHeading: (client: string) => `${client} wants to access your account`,
  consentIntro: 'Choose what this application may use.',
  clientLogo: (client: string) => `${client} logo`,
  clientWebsite: 'Application website',
  identityScopes: 'Personal information',
  apiScopes: 'Application access',
  required: '(required)',
  rememberDecision: 'Remember my decision',
  allow: 'Allow',
  deny: 'Deny',
  // OIDC Core §5.4 standard scopes, for a scope stored without a display name.
  standardScopes: {
    openid: 'Your user identifier',
    profile: 'Your profile: name, picture and other basic details',
    email: 'Your email address',
    address: 'Your postal address',
    phone: 'Your phone number',
    offline_access: 'Access while you are not signed in',
  },

  logoutTitle: 'Sign out',
  logoutQuestion: 'Do you want to sign out?',
  logoutRequestedBy: (client: string) => `${client} asked to sign you out.`,
  signOut: 'Sign out',

  signedOutTitle: 'You are signed out',
  signedOutText: 'You can now close this window.',
  returnTo: (client: string | undefined) => (client ? `Return to ${client}` : 'Return to the application'),

  errorTitle: 'Something went wrong',
  errors: {
    invalid_request: 'The application sent a request that could not be processed.',
    invalid_client: 'The application could not be recognised.',
    unauthorized_client: 'This application is not allowed to make this request.',
    invalid_scope: 'The application asked for access that is not available.',
    unsupported_response_type: 'The application asked for a kind of response this service does not support.',
    access_denied: 'Access was denied.',
    interaction_expired: 'Your sign-in took too long and has expired. Please go back to the application and try again.',
    interaction_replayed: 'This sign-in was already completed. Please go back to the application and start again.',
    server_error: 'Something went wrong on our side. Please try again later.',
    temporarily_unavailable: 'The service is temporarily unavailable. Please try again in a few minutes.',
    not_found: 'This page does not exist.',
    default: 'The request could not be completed.',
  },
  errorCode: 'Error code',
  requestId: 'Request ID',

  formPostTitle: 'Continuing',
  formPostText: 'If nothing happens, select Continue.',
  continue: 'Continue',
} as const;

/** Widens the English literals to `string`, keeping each message's parameters. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { readonly [K in keyof T]: Widen<T[K]> };

/** What every locale provides: exactly the keys and parameters of the English catalog. */
export type Catalog = Widen<typeof en>;
