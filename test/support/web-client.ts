import request from 'supertest';
import { SESSION_COOKIE } from '@gateway/auth/sessions/session-cookie';
import { SessionService } from '@gateway/auth/sessions/session.service';
import type { UserRole } from '@gateway/common/request-context/principal';
import type { GatewayTestApp } from './gateway-app';

/**
 * A browser-like client over HTTP for page tests: keeps cookies, reads each page's form CSRF token, posts
 * urlencoded forms. `signInAs` issues the session a passed second factor gives (the sign-in pages have their own tests).
 */
export class WebClient {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly gw: GatewayTestApp) {}

  async signInAs(user: { id: string; vendorId: string | null; organisationId?: string | null; email: string; roles: UserRole[] }): Promise<this> {
    const issued = await this.gw.app
      .get(SessionService)
      .issue({ id: user.id, vendorId: user.vendorId, organisationId: user.organisationId ?? null, email: user.email, roles: user.roles }, { clientAddress: '127.0.0.1', mfa: 'totp' });
    this.cookies.set(SESSION_COOKIE, issued.token);
    return this;
  }

  async get(path: string): Promise<request.Response> {
    return this.keep(await request(this.gw.http).get(path).set('Cookie', this.header()).redirects(0));
  }

  async post(path: string, form: Record<string, string>, withToken = true): Promise<request.Response> {
    return this.keep(
      await request(this.gw.http)
        .post(path)
        .set('Cookie', this.header())
        .type('form')
        .send({ ...form, ...(withToken ? { _csrf: this.csrf } : {}) })
        .redirects(0),
    );
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
}
