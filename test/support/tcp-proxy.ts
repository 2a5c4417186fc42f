import { createServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string;
  /**
   * Drops every connection through the proxy at once, without a word from the server: what a client sees when the
   * server's host dies or the network between them goes (pg: `Connection terminated unexpectedly`). New connections
   * are accepted as before.
   */
  cut(): void;
  /**
   * The server becomes unreachable until `unblock()`: every connection is cut and each new one is closed as soon as it
   * is accepted (what a client sees while the server's host is down), so clients keep reconnecting and failing.
   */
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

/** A TCP forwarder to `target` on 127.0.0.1, so a test can sever a client's connection to a shared server it must not stop. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let blocked = false;
  const server = createServer((inbound) => {
    if (blocked) {
      inbound.on('error', () => undefined).destroy();
      return;
    }
    const outbound = new Socket();
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    outbound.connect(target.port, target.host, () => {
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  });
  const cut = (): void => {
    for (const [inbound, outbound] of pairs) {
      inbound.destroy();
      outbound.destroy();
    }
    pairs.clear();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    rewrite(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut,
    block() {
      blocked = true;
      cut();
    },
    unblock() {
      blocked = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [inbound, outbound] of pairs) {
          inbound.destroy();
          outbound.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
