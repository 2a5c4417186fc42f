import request from 'supertest';
import type { GatewayTestApp } from './gateway-app';

/**
 * A browser-like client over HTTP for the server-rendered pages: keeps cookies, reads each page's CSRF token, posts
 * urlencoded forms, and multipart ones (file uploads).
 */
export class WebFormClient {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly http: GatewayTestApp['http']) {}

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private keep(res: request.Response): request.Response {
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = c.split(';');
      const [name, ...value] = pair.split('=');
      this.cookies.set(name, value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (token) this.csrf = token[1];
    return res;
  }

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<request.Response> {
    return this.keep(await request(this.http).get(path).set('Cookie', this.header()));
  }

  /** Repeated fields (checkboxes) as arrays. */
  async post(path: string, form: Record<string, string | string[]>, withToken = true): Promise<request.Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, ...(withToken ? { _csrf: this.csrf } : {}) })) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    return this.keep(await request(this.http).post(path).set('Cookie', this.header()).type('form').send(body.toString()));
  }

  /** `multipart/form-data`, the CSRF field first (as a browser sends a form's fields in order). */
  async postMultipart(path: string, fields: Record<string, string>, file?: { field: string; name: string; content: Buffer }): Promise<request.Response> {
    let req = request(this.http).post(path).set('Cookie', this.header()).field('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach(file.field, file.content, { filename: file.name, contentType: 'text/xml' });
    return this.keep(await req);
  }
}
