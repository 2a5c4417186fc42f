import { DvsDocument } from '@usi/contract';

/**
 * The 3PT mock Document Verification Service: only the published "1111…" test values verify
 * (usi-contract.md §5); every other document is treated as not matching government records.
 */
export function dvsVerifies(doc: DvsDocument): boolean {
  switch (doc.documentType) {
    case 'Passport':
      return doc.documentNumber.toUpperCase() === 'X1111111';
    case 'Medicare':
      return doc.medicareCardNumber === '1111111111';
    case 'DriversLicence':
      return doc.licenceNumber === '111111';
    case 'ImmiCard':
      return doc.immiCardNumber.toUpperCase() === 'ABC111111';
    case 'Visa':
      return doc.passportNumber === '111111';
    case 'CitizenshipCertificate':
      return doc.stockNumber.toUpperCase() === 'ACC111111';
    case 'RegistrationByDescent':
      return true;
    case 'BirthCertificate':
      return doc.registrationNumber === '1111111' || doc.registrationNumber === '11111111';
    case 'CentrelinkCard':
      return doc.crn.startsWith('111111111');
  }
}
