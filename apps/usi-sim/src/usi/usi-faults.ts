import { encodeErrorInfo, type ErrorInfo, type UsiOperation } from '@usi/contract';
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

/** An ErrorInfo fault as the WSDL declares it: action `…/<Op>ResponseErrorInfoFault`, detail in the 2020 namespace. */
export function errorInfoFault(operation: UsiOperation, errors: ErrorInfo[]): FaultSpec {
  return {
    code: 'Sender',
    reason: errors.map((e) => e.message).join(' '),
    detailXml: encodeErrorInfo(errors),
    action: `http://usi.gov.au/2022/ws/${operation}ResponseErrorInfoFault`,
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

/** Errors the fault injector asks for; 1001 reads like the real outage message. */
export function injectedError(code: number): ErrorInfo {
  return code === SERVICE_UNAVAILABLE.code ? SERVICE_UNAVAILABLE : { code, title: 'Simulated Fault', message: `Simulated fault ${code}.` };
}
