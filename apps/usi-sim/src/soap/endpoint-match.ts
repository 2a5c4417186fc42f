/**
 * Whether a WS-Addressing To names this endpoint. Only the path is compared (case-insensitively, as IIS/WCF do) so
 * that a client reaching the simulator as localhost, 127.0.0.1 or through a proxy is still addressed correctly.
 */
export function addressesPath(to: string, path: string): boolean {
  try {
    return new URL(to).pathname.toLowerCase() === path.toLowerCase();
  } catch {
    return false;
  }
}
