import type { ContactDetails, State } from '@usi/contract';
import { NewPerson } from '../person';

/** Org code that 7WCT4QEFEQ allowed to update their contact details (3PT sample data). */
export const CONTACT_PERMISSION_ORG = 'VA1803';

function contact(email: string, mobile: string, address1: string, suburb: string, state: State, postCode: string): ContactDetails {
  return {
    countryOfResidenceCode: '1101',
    emailAddress: email,
    phone: { mobile },
    nationalAddress: { address1, suburbTownCity: suburb, state, postCode },
  };
}

/** The public 3PT test identities (shared/fixtures/README.md), so the simulator answers like 3PT for them. */
export const KNOWN_3PT_PEOPLE: NewPerson[] = [
  { usi: 'BNGH7C75FN', gender: 'F', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25',
    countryOfBirthCode: '1101', townCityOfBirth: 'Adelaide',
    contact: contact('maryam.fredrick@example.com.au', '0412000101', '14 Rundle St', 'KENT TOWN', 'SA', '5067') },
  { usi: 'XNY5NV9WG9', gender: 'F', singleName: 'Amy', dateOfBirth: '2022-06-07',
    countryOfBirthCode: '1101', townCityOfBirth: 'Hobart',
    contact: contact('amy.family@example.com.au', '0412000102', '3 Elizabeth St', 'HOBART', 'TAS', '7000') },
  { usi: 'HQ9HHNJC3J', gender: 'M', firstName: 'BERT', familyName: 'ZYWIEC', dateOfBirth: '1986-04-22',
    countryOfBirthCode: '2304', townCityOfBirth: 'Hamburg',
    contact: contact('bert.zywiec@example.com.au', '0412000103', '88 Hay St', 'PERTH', 'WA', '6000') },
  { usi: 'GSR3R49PPX', gender: 'F', firstName: 'margaret', familyName: 'Michael', dateOfBirth: '1990-05-31',
    countryOfBirthCode: '1101', townCityOfBirth: 'Brisbane',
    contact: contact('margaret.michael@example.com.au', '0412000104', '21 Queen St', 'BRISBANE CITY', 'QLD', '4000') },
  { usi: 'DG6K5YHPP3', gender: 'M', firstName: 'Asfaha', familyName: 'Loflin', dateOfBirth: '1982-12-23',
    countryOfBirthCode: '1101', townCityOfBirth: 'Melbourne', status: 'deactivated',
    contact: contact('asfaha.loflin@example.com.au', '0412000105', '5 Swanston St', 'MELBOURNE', 'VIC', '3000') },
  { usi: 'R5HQLSWS9Y', gender: 'X', singleName: 'Testdeactivated', dateOfBirth: '1963-12-10',
    countryOfBirthCode: '1101', townCityOfBirth: 'Darwin', status: 'deactivated',
    contact: contact('testdeactivated@example.com.au', '0412000106', '9 Smith St', 'DARWIN CITY', 'NT', '0800') },
  { usi: 'QFJEGFSBC4', gender: 'F', singleName: 'Testsinglename', dateOfBirth: '1985-01-01',
    countryOfBirthCode: '1101', townCityOfBirth: 'Canberra',
    contact: contact('testsinglename@example.com.au', '0412000107', '1 Northbourne Ave', 'CANBERRA', 'ACT', '2601') },
  { usi: 'BP6LKB3C7X', gender: 'F', firstName: 'Csenge', familyName: 'Gumarsson', dateOfBirth: '1988-12-26',
    countryOfBirthCode: '1101', townCityOfBirth: 'Sydney',
    contact: contact('csenge.gumarsson@example.com.au', '0412000108', '40 George St', 'SYDNEY', 'NSW', '2000') },
  // The public sources give no name for this USI; the name below is invented.
  { usi: '7WCT4QEFEQ', gender: 'M', firstName: 'Elliot', familyName: 'Permissa', dateOfBirth: '1979-11-03',
    countryOfBirthCode: '1201', townCityOfBirth: 'Auckland', contactPermissions: [CONTACT_PERMISSION_ORG],
    contact: contact('elliot.permissa@example.com.au', '0412000109', '17 Bourke St', 'MELBOURNE', 'VIC', '3000') },
  ...bulkVerifyPeople(),
];

/** The official sample's BulkVerifyUSI batch (near-miss names in that batch give mixed Match/NoMatch). */
function bulkVerifyPeople(): NewPerson[] {
  const rows: [string, string, string, string, 'M' | 'F'][] = [
    ['C2P5P4UBHP', 'Nicholas', 'Koke', '1990-07-02', 'M'],
    ['QS5Q8XWSUJ', 'Annie', 'Angle', '1981-09-02', 'F'],
    ['9AKTUJMMAZ', 'Lucy', 'Smithcd', '1985-03-03', 'F'],
    ['BJRVU7U59N', 'Nick', 'Smithdd', '1990-07-14', 'M'],
    ['VL8CYKH3ND', 'Adam', 'Smithed', '1977-09-07', 'M'],
    ['6N69KBFUDZ', 'Paul', 'Smithfd', '1982-12-06', 'M'],
    ['N7UEE7FWKV', 'Lisa', 'Smithgd', '1981-02-19', 'F'],
    ['A88H9D64CS', 'Anne', 'Smithhd', '1981-09-22', 'F'],
    ['GBYDD3ZLVN', 'Mary', 'Smithid', '1991-04-26', 'F'],
  ];
  return rows.map(([usi, firstName, familyName, dateOfBirth, gender], i) => ({
    usi, gender, firstName, familyName, dateOfBirth, countryOfBirthCode: '1101', townCityOfBirth: 'Sydney',
    contact: contact(`${firstName}.${familyName}@example.com.au`.toLowerCase(), `04130002${String(i + 10)}`,
      `${i + 2} Pitt St`, 'SYDNEY', 'NSW', '2000'),
  }));
}
