import request from 'supertest';
import type { App } from 'supertest/types';
import { USI_EXAMPLES } from '@gateway/usi/http/usi-examples';

export const MARYAM = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

const EXAMPLE_APPLICATION = USI_EXAMPLES.create.request;

/** The documented CreateUSI example, with the e-mail the audit privacy suite looks for. */
export const APPLICATION = {
  ...EXAMPLE_APPLICATION,
  applicationId: 'APP1',
  userReference: 'enrol-1',
  contactDetails: { ...EXAMPLE_APPLICATION.contactDetails, emailAddress: 'maryam@example.com.au' },
  personalDetails: { ...EXAMPLE_APPLICATION.personalDetails, isPreferredName: false },
};

/** Requests to one organisation's USI routes with one API key. */
export function usiRoutes(http: App, orgCode: string, key: string) {
  const base = `/v1/organisations/${orgCode}`;
  const auth = { Authorization: `Bearer ${key}` };
  return {
    post: (path: string, body: object) => request(http).post(base + path).set(auth).send(body),
    put: (path: string, body: object) => request(http).put(base + path).set(auth).send(body),
    get: (path: string) => request(http).get(base + path).set(auth),
    verify: () => request(http).post(`${base}/usi/verify`).set(auth).send(MARYAM),
  };
}
