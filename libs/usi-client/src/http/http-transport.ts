export interface HttpResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface HttpPostOptions {
  headers: Record<string, string>;
  /** Covers connect, headers and body together. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The only I/O seam of the client: tests and the gateway swap it for fakes or instrumented versions. */
export interface HttpTransport {
  post(url: string, body: string, opts: HttpPostOptions): Promise<HttpResponse>;
}

/** SOAP 1.2 carries the action as a media-type parameter rather than a SOAPAction header. */
export function soapHeaders(action: string): Record<string, string> {
  return { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` };
}
