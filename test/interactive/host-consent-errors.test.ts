import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createIdProo, type IdProo } from '../../src/index.ts';
import { TestBrowser, field, submitLogin } from '../support/browser.ts';
import { alice, authorizeUrl, interactiveConfig, pkce } from '../support/interactive.ts';
import { recordingLogger } from '../support/logger.ts';
import { startTestServer } from '../support/server.ts';

describe('the host application\'s consent and error pages', () => {
  let server: Server;
  let idproo: IdProo;
  let issuer: string;
  before(async () => {
    const app = express();
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    idproo = await createIdProo({ issuer, config: { ...interactiveConfig(), userInteraction: { consentUrl: '/my/consent', errorUrl: '/my/error' } } });
    app.get('/my/consent', async (req, res) => {
      const details = await idproo.interactions.details(String(req.query['interaction']), req);
      res.type('html').send(
        `<p>${details.step} for ${details.subjectId}: ${details.identityScopes.map((s) => s.name).join(',')} / ${details.apiScopes.map((s) => s.name).join(',')}</p>` +
          `<input name="interaction" value="${details.interactionId}">`,
      );
    });
    app.post('/my/consent', express.urlencoded({ extended: false }), async (req, res) => {
      const allow = req.body.decision === 'allow';
      const next = await idproo.interactions.consent(String(req.body.interaction), req, allow ? { allow, scopes: ['openid', 'invoices.read'], remember: true } : { allow });
      res.redirect(303, next.location);
    });
    app.get('/my/error', (req, res) => void res.status(400).send(`host error page: ${String(req.query['error'])} ${String(req.query['request_id'])}`));
    app.use(idproo.handler);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await idproo.close();
  });

  const request = (extra: Record<string, string> = {}) =>
    authorizeUrl(issuer, { client_id: 'spa', redirect_uri: 'https://spa.example.com/cb', scope: 'openid profile invoices.read', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256', ...extra });

  it('the consent step goes to the host page, which grants a subset and remembers it', async () => {
    const browser = new TestBrowser(issuer);
    const login = await browser.navigate(request());
    const consent = await submitLogin(browser, login, alice.username, alice.password);
    assert.match(consent.url, /\/my\/consent\?interaction=/);
    assert.match(consent.text, new RegExp(`consent for ${alice.subjectId}: openid,profile / invoices.read`));
    const done = await browser.navigate(`${issuer}/my/consent`, { form: { interaction: field(consent.text, 'interaction'), decision: 'allow' } });
    assert.ok(new URL(done.location!).searchParams.get('code'));
    // Remembered: the same subset again needs no page.
    const again = await browser.request(request({ scope: 'openid invoices.read' }));
    assert.ok(new URL(again.location!).searchParams.get('code'));
  });

  it('a denial through the API returns access_denied', async () => {
    const browser = new TestBrowser(issuer);
    const login = await browser.navigate(request({ prompt: 'consent' }));
    const consent = await submitLogin(browser, login, alice.username, alice.password);
    const done = await browser.navigate(`${issuer}/my/consent`, { form: { interaction: field(consent.text, 'interaction'), decision: 'deny' } });
    assert.equal(new URL(done.location!).searchParams.get('error'), 'access_denied');
  });

  it('errors go to the host error page with the code and the request id', async () => {
    const page = await new TestBrowser(issuer).navigate(request({ client_id: 'nobody' }));
    assert.equal(page.status, 400);
    assert.match(page.text, /^host error page: unauthorized_client [0-9a-f-]{36}$/);
  });
});

describe('cookies behind an https issuer', () => {
  it('carry the __Host- prefix and Secure', async () => {
    const idproo = await createIdProo({ issuer: 'https://login.example.com', config: interactiveConfig() });
    const http = createServer(idproo.handler);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const url = authorizeUrl(base, { client_id: 'web', redirect_uri: 'https://app.example.com/cb', scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 303);
      assert.match(response.headers.get('location') ?? '', /^https:\/\/login\.example\.com\/account\/login\?interaction=/);
      const [line] = response.headers.getSetCookie();
      assert.match(line ?? '', /^__Host-idproo\.browser=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    } finally {
      http.closeAllConnections();
      http.close();
      await idproo.close();
    }
  });
});

describe('the error page', () => {
  it('shows the request id that the log line carries', async () => {
    const { logger, entries } = recordingLogger(['info']);
    const server = await startTestServer({ config: interactiveConfig(), logger });
    try {
      const page = await new TestBrowser(server.issuer).request(authorizeUrl(server.issuer, { client_id: 'nobody' }));
      const logged = entries.find((e) => e.obj['error'] === 'unauthorized_client');
      assert.ok(logged, 'an info line for the error page');
      assert.ok(page.text.includes(String(logged.obj['requestId'])));
    } finally {
      await server.close();
    }
  });
});
