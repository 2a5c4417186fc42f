import { encodeErrorInfo, V5, type ErrorInfo, type UsiOperation, type UsiServiceVersion } from '@usi/contract';
import type { FaultSpec } from '../soap/soap-response';

/** WCF's answer to any message-security failure; it deliberately says nothing about which check failed. */
export const INVALID_SECURITY: FaultSpec = {
  code: 'Sender',
  subcode: 'o:InvalidSecurity',
  reason: 'An error occurred when verifying security for the message.',
};

export const ACTION_NOT_SUPPORTED: FaultSpec = {
  code: 'Sender',
  subcode: 'a:ActionNotSupported',
  reason: 'The message with Action cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher.',
};

export const DESTINATION_UNREACHABLE: FaultSpec = {
  code: 'Sender',
  subcode: 'a:DestinationUnreachable',
  reason: 'The message with To cannot be processed at the receiver, due to an AddressFilter mismatch at the EndpointDispatcher.',
};

export const MALFORMED_MESSAGE: FaultSpec = { code: 'Sender', reason: 'The message could not be processed because it is not a valid SOAP 1.2 message.' };

export const INTERNAL_FAULT: FaultSpec = { code: 'Receiver', reason: 'The server was unable to process the request due to an internal error.' };

export const SERVICE_UNAVAILABLE: ErrorInfo = { code: 1001, title: 'Service Unavailable', message: 'The service is currently not available.' };

/** An ErrorInfo fault as the WSDL declares it: action `…/<Op>ResponseErrorInfoFault`, detail in the version's ErrorInfo namespace (v5: 2020). */
export function errorInfoFault(operation: UsiOperation, errors: ErrorInfo[], version: UsiServiceVersion = V5): FaultSpec {
  return {
    code: 'Sender',
    reason: errors.map((e) => e.message).join(' '),
    detailXml: encodeErrorInfo(errors, version.errorInfoNamespace),
    action: `${version.actionPrefix}${operation}ResponseErrorInfoFault`,
  };
}

export const organisationNotFound = (orgCode: string): ErrorInfo => ({
  code: 1002,
  title: 'Generic Validation',
  message: `Organisation with OrgCode of ${orgCode} could not be found.`,
});

export const ORGANISATION_FAILED_AUTHORISATION: ErrorInfo = {
  code: 2002,
  title: 'Organisation Failed Authorisation',
  message: 'The organisation was not verified as an authorised body/organisation in the system.',
};

/**
 * ErrorInfo 3458. No public source shows it (usi-contract.md §7.5): the title and message are the simulator's own,
 * worded like the registry's other faults.
 */
export const VERSION_OUTDATED: ErrorInfo = {
  code: 3458,
  title: 'Outdated Version',
  message: 'The version of the web service used is outdated and is no longer supported. Please upgrade to the current version.',
};

/** Known codes as the registry words them (vendors' published tables, usi-contract.md §7.3); 3458 as above. */
const KNOWN_ERRORS: ReadonlyMap<number, ErrorInfo> = new Map(
  [
    SERVICE_UNAVAILABLE,
    { code: 1002, title: 'Generic Validation', message: 'Organisation with OrgCode of SIM0000 could not be found.' },
    ORGANISATION_FAILED_AUTHORISATION,
    { code: 2004, title: 'Unverified Identity', message: 'The system could not verify the identity based on the supplied information.' },
    VERSION_OUTDATED,
  ].map((e) => [e.code, e]),
);

/** Errors the fault injector asks for: the known codes read like the real ones, any other is a numbered "Simulated Fault". */
export function injectedError(code: number): ErrorInfo {
  return KNOWN_ERRORS.get(code) ?? { code, title: 'Simulated Fault', message: `Simulated fault ${code}.` };
}
