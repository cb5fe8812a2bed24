/**
 * A minimal browser for request-level tests of the interactive flows: a cookie jar, redirects followed
 * on the provider's origin only (a redirect elsewhere is where the client would take over), and the
 * Origin / Sec-Fetch-Site headers a real browser sends with a form post.
 */
export interface Page {
  readonly status: number;
  readonly url: string;
  readonly location?: string | undefined;
  readonly headers: Headers;
  readonly text: string;
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly origin: string;

  constructor(issuer: string) {
    this.origin = new URL(issuer).origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  #remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers['cookie'] = this.cookieHeader();
    let body: string | undefined;
    if (init.form !== undefined) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      // What Chromium sends for a post from a page with Referrer-Policy: no-referrer (Fetch §3.1).
      headers['origin'] ??= 'null';
      headers['sec-fetch-site'] ??= 'same-origin';
    }
    const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    this.#remember(response.headers);
    const location = response.headers.get('location') ?? undefined;
    return { status: response.status, url, location: location === undefined ? undefined : new URL(location, url).href, headers: response.headers, text: await response.text() };
  }

  /** Requests `url` and follows redirects while they stay on the provider's origin. */
  async navigate(url: string, init: Parameters<TestBrowser['request']>[1] = {}): Promise<Page> {
    let page = await this.request(url, init);
    for (let hops = 0; page.location !== undefined && new URL(page.location).origin === this.origin && hops < 10; hops++) page = await this.request(page.location);
    return page;
  }
}

/** The value of a hidden (or any) input of a rendered form. */
export function field(html: string, name: string): string {
  const input = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((tag) => new RegExp(`\\bname="${name}"`).test(tag));
  const value = input === undefined ? undefined : /\bvalue="([^"]*)"/.exec(input)?.[1];
  if (value === undefined) throw new Error(`no input named ${name} in the page`);
  return value.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The page's login form posted with these credentials; returns the page the browser lands on (or the client redirect). */
export async function submitLogin(browser: TestBrowser, loginPage: Page, username: string, password: string, extra: Record<string, string> = {}): Promise<Page> {
  const action = new URL('/account/login', loginPage.url).href;
  return browser.navigate(action, {
    form: { interaction: field(loginPage.text, 'interaction'), csrf_token: field(loginPage.text, 'csrf_token'), username, password, ...extra },
  });
}
