/** The headers a browser sets itself on a request, which page script cannot forge. */
export interface FetchMetadata {
  secFetchSite?: string;
  origin?: string;
}

/**
 * Whether a browser says this request came from the gateway's own origin. `Sec-Fetch-Site` is trusted alone when
 * present (every current browser sends it, and behind a TLS-terminating proxy the scheme in `Origin` may not match
 * what the gateway sees); otherwise `Origin` must equal `selfOrigin` exactly. Neither header (curl, old browsers,
 * some proxies) is not proof: such a caller needs the CSRF token.
 */
export function isSameOriginBrowserRequest(m: FetchMetadata, selfOrigin: string): boolean {
  if (m.secFetchSite !== undefined) return m.secFetchSite === 'same-origin';
  if (m.origin !== undefined) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: selfOrigin is scheme://host, never "null"; the test says what is meant.
    return m.origin !== 'null' && m.origin.toLowerCase() === selfOrigin.toLowerCase();
  }
  return false;
}
