import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, send, sendJson } from '../http/http-io';
import { AdminError } from './admin.error';
import type { SimulatorAdmin } from './simulator-admin';

type Route = (admin: SimulatorAdmin, body: () => Promise<unknown>, param: string) => Promise<[number, unknown]> | [number, unknown];

const ROUTES: Record<string, Route> = {
  'GET /admin/notifications': (a) => [200, a.listNotifications()],
  'POST /admin/notifications': async (a, body) => [201, a.addNotification(await body())],
  'DELETE /admin/notifications/:id': (a, _b, id) => [200, a.revokeNotification(id)],
  'POST /admin/organisations': async (a, body) => [201, a.addOrganisation(await body())],
  'POST /admin/people': async (a, body) => [201, a.addPeople(await body())],
  'GET /admin/counters': (a) => [200, a.counters()],
  'POST /admin/counters/reset': (a) => [200, a.resetCounters()],
  'GET /admin/sts-requests': (a) => [200, a.stsRequests()],
  'DELETE /admin/sts-requests': (a) => {
    a.clearStsRequests();
    return [204, undefined];
  },
  'GET /admin/faults': (a) => [200, a.faults()],
  'PUT /admin/faults': async (a, body) => [200, a.setFaults(await body())],
  'DELETE /admin/faults': (a) => {
    a.clearFaults();
    return [204, undefined];
  },
  'GET /admin/service-versions': (a) => [200, a.serviceVersions()],
  'PUT /admin/service-versions/:id': async (a, body, id) => [200, a.setServiceVersion(id, await body())],
  'GET /admin/credentials': (a) => [200, a.credentialStatuses()],
  'PUT /admin/credentials/:id': async (a, body, id) => [200, a.setCredentialStatus(id, await body())],
};

/** Routes with one `:id` segment, by collection. */
const ID_ROUTES = /^\/admin\/(notifications|service-versions|credentials)\/([^/]+)$/;

/** JSON admin API. Errors are `{ code, message }` with 400/404; the keystore route answers XML. */
export async function routeAdmin(admin: SimulatorAdmin, req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
  const body = async (): Promise<unknown> => {
    const text = await readBody(req);
    try {
      return JSON.parse(text);
    } catch {
      throw new AdminError('admin.bad_request', 'the body is not valid JSON');
    }
  };
  try {
    if (req.method === 'POST' && path === '/admin/keystore') {
      send(res, 201, 'application/xml; charset=utf-8', admin.issueKeystore(await body()));
      return 201;
    }
    const idMatch = ID_ROUTES.exec(path);
    const key = `${req.method} ${idMatch ? `/admin/${idMatch[1]}/:id` : path}`;
    const route = ROUTES[key];
    if (!route) throw new AdminError('admin.not_found', `no admin route ${req.method} ${path}`);
    const [status, value] = await route(admin, body, decodeURIComponent(idMatch?.[2] ?? ''));
    sendJson(res, status, value);
    return status;
  } catch (error) {
    if (error instanceof AdminError) {
      sendJson(res, error.status, { code: error.code, message: error.message });
      return error.status;
    }
    if (error instanceof BodyTooLarge) {
      sendJson(res, 413, { code: 'admin.too_large', message: 'the body is too large' });
      return 413;
    }
    throw error;
  }
}
