/**
 * Query parameters whose value is a secret (emailed single-use tokens, codes) or personal data (a USI, an email
 * address): the request log keeps their name and drops their value.
 */
const WITHHELD = new Set(['token', 'code', 'usi', 'email', 'password', 'secret', 'key']);

/** The URL as the request log may show it. Cheap when there is no query string (most API calls). */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is logged as sent; it cannot name a withheld parameter.
      }
      return eq >= 0 && WITHHELD.has(decoded.toLowerCase()) ? `${name}=[withheld]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}
