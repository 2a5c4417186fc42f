import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  /** Extra trusted CAs (PEM), for tests; the system's are always trusted. */
  ca?: string[];
}

/**
 * Can this machine reach the endpoint? https: DNS, then a TLS handshake whose certificate must verify for the host
 * name (nothing is sent over it). http (the simulator): DNS, then a TCP connection. Never throws.
 */
export async function probeEndpoint(url: string, options: ProbeOptions): Promise<ProbeResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, detail: `not a URL: ${url}` };
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const tls = target.protocol === 'https:';
  if (!tls && target.protocol !== 'http:') return { ok: false, detail: `unsupported scheme ${target.protocol}` };
  const port = Number(target.port || (tls ? 443 : 80));
  let address = host;
  if (!isIP(host)) {
    try {
      address = (await withTimeout(lookup(host), options.timeoutMs, 'DNS lookup')).address;
    } catch (err) {
      return { ok: false, detail: `DNS: cannot resolve ${host} (${codeOf(err)})` };
    }
  }
  const dns = address === host ? '' : `DNS ${host} → ${address}; `;
  const started = Date.now();
  try {
    if (!tls) {
      await tcp(address, port, options.timeoutMs);
      return { ok: true, detail: `${dns}TCP ${address}:${port} connected in ${Date.now() - started} ms (plain HTTP: no TLS to check)` };
    }
    const { protocol, certificate } = await handshake(address, host, port, options);
    const days = Math.floor((new Date(certificate.valid_to).getTime() - Date.now()) / 86_400_000);
    return {
      ok: true,
      detail: `${dns}${protocol ?? 'TLS'} handshake in ${Date.now() - started} ms, certificate for ${certificate.subject?.CN ?? host} valid until ${new Date(certificate.valid_to).toISOString().slice(0, 10)} (${days} days)`,
    };
  } catch (err) {
    return { ok: false, detail: `${dns}${tls ? 'TLS' : 'TCP'} ${host}:${port}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function tcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (err) => reject(new Error(`cannot connect (${codeOf(err)})`)));
  });
}

function handshake(address: string, host: string, port: number, options: ProbeOptions): Promise<{ protocol: string | null; certificate: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({
      host: address,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: false,
    });
    socket.setTimeout(options.timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${options.timeoutMs} ms`)));
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      const protocol = socket.getProtocol();
      const error = socket.authorizationError;
      socket.end();
      if (!socket.authorized) reject(new Error(`certificate not trusted (${String(error)})`));
      else resolve({ protocol, certificate });
    });
    socket.once('error', (err) => reject(new Error(`handshake failed (${codeOf(err)})`)));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
