import type { ContactDetails } from '@usi/contract';
import { NewPerson } from '../person';

const exactContact: ContactDetails = {
  countryOfResidenceCode: '1101',
  emailAddress: 'olivia.harcastle@example.com.au',
  phone: { mobile: '0400111222' },
  nationalAddress: { address1: '12 Wattle Rd', suburbTownCity: 'BALLARAT', state: 'VIC', postCode: '3350' },
};

const twinContact: ContactDetails = {
  countryOfResidenceCode: '1101',
  emailAddress: 'jordan.quillfeather@example.com.au',
  phone: { mobile: '0400333444' },
  nationalAddress: { address1: '7 Banksia Ct', suburbTownCity: 'TOOWOOMBA', state: 'QLD', postCode: '4350' },
};

/**
 * People that make every LocateUSI result reachable (see SEED.md): one unique person (Exact / SingleNoContactMatch /
 * NoIdenticalStrongPartial) and two registry records with identical identity and contact details (MultipleExact /
 * MultipleNoContactMatch, and a CreateUSI "multiple existing records" failure).
 */
export const LOCATE_SCENARIO_PEOPLE: NewPerson[] = [
  { usi: 'LCXCT7A2QR', gender: 'F', firstName: 'Olivia', familyName: 'Harcastle', dateOfBirth: '1992-03-14',
    countryOfBirthCode: '1101', townCityOfBirth: 'Ballarat', contact: exactContact },
  { usi: 'MLTXP4R8KL', gender: 'M', firstName: 'Jordan', familyName: 'Quillfeather', dateOfBirth: '1995-07-07',
    countryOfBirthCode: '1101', townCityOfBirth: 'Toowoomba', contact: twinContact },
  { usi: 'MLTXP4R9KK', gender: 'M', firstName: 'Jordan', familyName: 'Quillfeather', dateOfBirth: '1995-07-07',
    countryOfBirthCode: '1101', townCityOfBirth: 'Toowoomba', contact: { ...twinContact } },
];
