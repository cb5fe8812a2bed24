import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The port the proxy listens on; it keeps it across stop() and start(). */
  readonly port: number;
  /** Refuses new connections and cuts every open one, as a database that went away would. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Cuts every open connection and accepts new ones without ever answering, as an unreachable network would. */
  blackhole(): void;
}

/** A TCP proxy on 127.0.0.1 to `target`, for a test to take a server out of reach and bring it back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  let server: Server | undefined;
  let silent = false;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        track(client);
        if (silent) return;
        const upstream = createConnection(target);
        track(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  return {
    port,
    async stop() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async start() {
      silent = false;
      await listen(port);
    },
    blackhole() {
      silent = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}
