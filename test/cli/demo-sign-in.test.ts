import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestBrowser } from '../support/browser.ts';
import { freePort, killRemaining, listeningOrExited, spawnCli, stopCli, type CliProcess } from '../support/cli-process.ts';
import { demoConfigAt, demoFile, shownJson, signInThroughDemo } from '../support/demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'idproo-demo-'));
after(() => {
  killRemaining();
  rmSync(dir, { recursive: true, force: true });
});

async function start(config: string, port: number): Promise<CliProcess> {
  const cli = spawnCli(['start', '--config', config, '--db', 'memory:', '--port', String(port)], { cwd: dir });
  if ((await listeningOrExited(cli)) !== 'listening') assert.fail(`the server exited with ${await cli.exited}\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`);
  return cli;
}

describe('idproo start with the demo configuration', () => {
  it('prints one URL that runs a whole sign-in, ending on the claims page', async () => {
    // demo/idproo.json registers its demo client at port 5000; the same file moved to a free port.
    const port = await freePort();
    const issuer = `http://localhost:${port}`;
    const config = join(dir, 'demo-at-port.json');
    writeFileSync(config, JSON.stringify(demoConfigAt(issuer)));
    const cli = await start(config, port);
    try {
      const printed = /^Try a sign-in: (\S+) \(user alice, password alice\)$/m.exec(cli.stdout);
      assert.ok(printed, cli.stdout);
      assert.equal(printed[1], `${issuer}/demo/login`);
      // The lines that were there before stay.
      assert.match(cli.stdout, new RegExp(`^IdProo is listening\\. Discovery: ${issuer}/\\.well-known/openid-configuration$`, 'm'));
      assert.match(cli.stdout, /^ {2}curl -s -u demo-service:demo-secret /m);

      const page = await signInThroughDemo(new TestBrowser(issuer), printed[1]!);
      assert.equal(page.status, 200);
      assert.equal(shownJson(page, 'ID token claims').sub, '1');
      assert.equal(shownJson(page, 'Userinfo response').email, 'alice@example.com');
    } finally {
      assert.equal(await stopCli(cli), 0);
    }
  });

  it('at another port than the demo client was registered for, points to the page that says why instead', async () => {
    const port = await freePort();
    const cli = await start(demoFile, port);
    try {
      assert.doesNotMatch(cli.stdout, /Try a sign-in/);
      assert.match(cli.stdout, new RegExp(`^The demo sign-in does not work at this issuer; http://localhost:${port}/demo says why\\.$`, 'm'));
    } finally {
      assert.equal(await stopCli(cli), 0);
    }
  });

  it('prints no demo line without demoRelyingParty', async () => {
    const port = await freePort();
    const { demoRelyingParty: _omitted, ...rest } = JSON.parse(readFileSync(demoFile, 'utf8')) as Record<string, unknown>;
    const config = join(dir, 'no-demo.json');
    writeFileSync(config, JSON.stringify(rest));
    const cli = await start(config, port);
    try {
      assert.doesNotMatch(cli.stdout, /demo sign-in|Try a sign-in/);
    } finally {
      assert.equal(await stopCli(cli), 0);
    }
  });
});
