import { z } from 'zod';

const abn = z.string().regex(/^\d{11}$/, 'an ABN is 11 digits');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const notificationInput = z.strictObject({
  vendorAbn: abn,
  providerAbn: abn,
  softwareId: z.string().regex(/^\d{10}$/, 'a software ID is 10 digits'),
  startDate: day.optional(),
  endDate: day.optional(),
  status: z.enum(['active', 'pending', 'revoked']).default('active'),
});

export const organisationInput = z.strictObject({
  orgCode: z.string().min(1).max(8),
  abn,
  name: z.string().min(1),
  kind: z.enum(['direct', 'cloud', 'vendor']).default('direct'),
  webServiceAccess: z.boolean().default(true),
});

/** The registry's person record; only what every lookup needs is checked here, the store checks the USI. */
const personInput = z.looseObject({
  usi: z.string().optional(),
  gender: z.enum(['M', 'F', 'X']),
  dateOfBirth: day,
  firstName: z.string().optional(),
  familyName: z.string().optional(),
  singleName: z.string().optional(),
  countryOfBirthCode: z.string().default('1101'),
  townCityOfBirth: z.string().default('Canberra'),
  contact: z.looseObject({ countryOfResidenceCode: z.string() }).default({ countryOfResidenceCode: '1101' }),
}).refine((p) => (p.singleName ? !p.firstName && !p.familyName : Boolean(p.familyName)), {
  message: 'give singleName alone, or familyName (with an optional firstName)',
});

export const peopleInput = z.union([personInput, z.array(personInput).min(1).max(10_000)]);

export const keystoreInput = z.strictObject({
  abn,
  name: z.string().regex(/^[A-Za-z0-9 ._-]{1,64}$/, 'name: 1-64 letters, digits, space, dot, dash or underscore'),
  password: z.string().min(1),
  notBefore: z.iso.datetime({ offset: true }).optional(),
  notAfter: z.iso.datetime({ offset: true }).optional(),
});

export const serviceVersionInput = z.strictObject({ outdated: z.boolean() });

export const credentialStatusInput = z.strictObject({ status: z.enum(['active', 'suspended', 'revoked']) });

export type NotificationInput = z.input<typeof notificationInput>;
export type OrganisationInput = z.input<typeof organisationInput>;
export type PeopleInput = z.input<typeof peopleInput>;
export type KeystoreInput = z.input<typeof keystoreInput>;
