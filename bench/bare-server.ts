/**
 * The baseline: a bare node:http server answering fixed bytes with a fixed content-type, in its own process.
 * Usage: node bench/bare-server.ts --port <port> --spec <file.json>
 * where the spec is [{ "path": "/.well-known/openid-configuration", "contentType": "...", "body": "<base64>" }, ...].
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

interface Route {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    spec: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || !values.spec) throw new Error('usage: --port <port> --spec <file.json>');

// The body goes out as a string when it is valid UTF-8 (same bytes on the wire): node:http then sends the
// head and the body in one write, its fastest path for small answers; a Buffer would take a second chunk.
const routes = new Map<string, { contentType: string; length: string; body: string | Buffer }>();
for (const route of JSON.parse(readFileSync(values.spec, 'utf8')) as Route[]) {
  const bytes = Buffer.from(route.body, 'base64');
  const text = bytes.toString('utf8');
  const body = Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
  routes.set(route.path, { contentType: route.contentType, length: String(bytes.length), body });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const route = req.method === 'GET' ? routes.get(path) : undefined;
  if (!route) {
    res.writeHead(404, { 'content-length': '0' });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': route.contentType, 'content-length': route.length });
  res.end(route.body);
});
server.listen(port, values.host, () => {
  console.log(`bare node:http listening on http://${values.host}:${port} (${[...routes.keys()].join(', ')})`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
