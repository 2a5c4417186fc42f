/** Paths that are not pages: the JSON API, its docs (Swagger UI needs inline script), probes and metrics. */
const NOT_PAGES = /^\/(v1|docs|health|metrics)(\/|$)/;

/** Whether a request path belongs to the web app (its CSP, form parser and page route matrix). */
export function isPagePath(path: string): boolean {
  return !NOT_PAGES.test(path);
}
