import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createIdProo, InteractionError, type IdProo } from '../../src/index.ts';
import { TestBrowser, field } from '../support/browser.ts';
import { alice, authorizeUrl, interactiveConfig, pkce } from '../support/interactive.ts';

/**
 * A host application that mounts IdProo and signs users in with its own page (userInteraction.loginUrl),
 * through the interaction API: it reads the pending request and finishes it.
 */
describe('the host application\'s own sign-in page', () => {
  let server: Server;
  let idproo: IdProo;
  let issuer: string;
  before(async () => {
    const app = express();
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    idproo = await createIdProo({ issuer, config: { ...interactiveConfig(), userInteraction: { loginUrl: '/my/login', logoutUrl: '/my/logout' } } });
    app.get('/my/login', async (req, res) => {
      try {
        const details = await idproo.interactions.details(String(req.query['interaction']), req);
        res.type('html').send(
          `<form method="post"><p>${details.client.clientName} asks for ${details.scopes.join(' ')}</p><input type="hidden" name="interaction" value="${details.interactionId}"><input name="username" value="${details.loginHint ?? ''}"></form>`,
        );
      } catch (error) {
        res.status(400).send(error instanceof InteractionError ? `stale: ${error.problem}` : 'error');
      }
    });
    app.post('/my/login', express.urlencoded({ extended: false }), async (req, res) => {
      // The host checks the user in its own way; here any known username will do.
      const user = await idproo.services.stores.users.findUserByUsername(String(req.body.username));
      if (user === undefined) return void res.status(401).send('who?');
      const next = await idproo.interactions.login(String(req.body.interaction), req, { subjectId: user.subjectId, amr: ['hwk'], remember: false });
      res.setHeader('set-cookie', [...next.cookies]);
      res.redirect(303, next.location);
    });
    app.get('/my/logout', async (req, res) => {
      const details = await idproo.interactions.logoutDetails(String(req.query['logout_id']), req);
      const done = await idproo.interactions.logout(details.logoutId, req);
      res.setHeader('set-cookie', [...done.cookies]);
      if (done.location) res.redirect(303, done.location);
      else res.send('signed out');
    });
    app.use(idproo.handler);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await idproo.close();
  });

  const request = (extra: Record<string, string> = {}) =>
    authorizeUrl(issuer, { client_id: 'web', redirect_uri: 'https://app.example.com/cb', scope: 'openid profile', state: 's1', code_challenge: pkce().challenge, code_challenge_method: 'S256', login_hint: 'alice', ...extra });

  it('reads the pending request, signs the user in and the client gets its code', async () => {
    const browser = new TestBrowser(issuer);
    const page = await browser.navigate(request());
    assert.equal(page.status, 200);
    assert.match(page.url, /\/my\/login\?interaction=/);
    assert.match(page.text, /Web App asks for openid profile/);
    assert.equal(field(page.text, 'username'), 'alice');
    const done = await browser.navigate(`${issuer}/my/login`, { form: { interaction: field(page.text, 'interaction'), username: alice.username } });
    const params = new URL(done.location!).searchParams;
    assert.ok(params.get('code'));
    assert.equal(params.get('state'), 's1');
    assert.equal(params.get('iss'), issuer);
    // Single sign-on: the next request needs no page.
    const again = await browser.request(request({ prompt: 'none' }));
    assert.ok(new URL(again.location!).searchParams.get('code'));
  });

  it('each tab has its own interaction; a finished one is stale, another browser\'s is foreign', async () => {
    const browser = new TestBrowser(issuer);
    const tab1 = await browser.navigate(request({ state: 'tab1' }));
    const tab2 = await browser.navigate(request({ state: 'tab2' }));
    assert.notEqual(field(tab1.text, 'interaction'), field(tab2.text, 'interaction'));
    const foreign = await new TestBrowser(issuer).request(tab1.url);
    assert.match(foreign.text, /stale: other_browser/);
    const done1 = await browser.navigate(`${issuer}/my/login`, { form: { interaction: field(tab1.text, 'interaction'), username: alice.username } });
    assert.equal(new URL(done1.location!).searchParams.get('state'), 'tab1');
    const done2 = await browser.navigate(`${issuer}/my/login`, { form: { interaction: field(tab2.text, 'interaction'), username: alice.username } });
    assert.equal(new URL(done2.location!).searchParams.get('state'), 'tab2');
    const replay = await browser.request(tab1.url);
    assert.match(replay.text, /stale: replayed/);
  });

  it('sign-out goes through the host\'s page', async () => {
    const browser = new TestBrowser(issuer);
    const page = await browser.navigate(request());
    await browser.navigate(`${issuer}/my/login`, { form: { interaction: field(page.text, 'interaction'), username: alice.username } });
    const out = await browser.navigate(`${issuer}/connect/endsession?${new URLSearchParams({ client_id: 'web', post_logout_redirect_uri: 'https://app.example.com/signed-out', state: 'x' })}`);
    assert.equal(out.location, 'https://app.example.com/signed-out?state=x');
    const after = await browser.request(request({ prompt: 'none' }));
    assert.equal(new URL(after.location!).searchParams.get('error'), 'login_required');
  });
});
