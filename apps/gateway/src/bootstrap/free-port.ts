import { createServer } from 'node:net';
import { BootstrapError } from './bootstrap.error';

/** The first port from `preferred` on that nobody listens on (127.0.0.1), within 100 tries. */
export async function freePort(preferred: number, what: string, host = '127.0.0.1'): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    if (await isFree(port, host)) return port;
  }
  throw new BootstrapError('bootstrap.no_free_port', `No free port in ${preferred}-${preferred + 99} for ${what}`);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, host, () => server.close(() => resolvePort(true)));
  });
}
