import request from 'supertest';
import type { App } from 'supertest/types';

export const MARYAM = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

export const APPLICATION = {
  applicationId: 'APP1',
  dvsCheckRequired: true,
  userReference: 'enrol-1',
  contactDetails: {
    countryOfResidenceCode: '1101',
    emailAddress: 'maryam@example.com.au',
    nationalAddress: { address1: '1 Example St', suburbTownCity: 'CANBERRA', state: 'ACT', postCode: '2600' },
  },
  personalDetails: {
    gender: 'F',
    firstName: 'Maryam',
    familyName: 'Fredrick',
    dateOfBirth: '1966-05-25',
    countryOfBirthCode: '1101',
    townCityOfBirth: 'Canberra',
    isPreferredName: false,
  },
  dvsDocument: { documentType: 'Passport', documentNumber: 'X1111111' },
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
