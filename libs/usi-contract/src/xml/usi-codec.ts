import type { Element } from '@xmldom/xmldom';
import { USI_NS } from '../constants';
import { UsiError } from '../errors/usi-error';
import type { OperationRequest, OperationResponse, UsiOperation } from '../operations/usi-operation';
import { OPERATION_SCHEMAS } from '../schema/operation.schema';
import { decodeRoot } from './schema-decoder';
import { encodeRoot } from './schema-encoder';

/** `<VerifyUSI xmlns="http://usi.gov.au/2022/ws">…</VerifyUSI>`, elements in XSD sequence order. */
export function encodeRequest<O extends UsiOperation>(op: O, request: OperationRequest<O>): string {
  return encodeRoot(op, USI_NS, OPERATION_SCHEMAS[op].request, request);
}

export function encodeResponse<O extends UsiOperation>(op: O, response: OperationResponse<O>): string {
  return encodeRoot(`${op}Response`, USI_NS, OPERATION_SCHEMAS[op].response, response);
}

export function decodeRequest<O extends UsiOperation>(op: O, element: Element): OperationRequest<O> {
  expectRoot(element, op);
  return decodeRoot(element, USI_NS, OPERATION_SCHEMAS[op].request) as OperationRequest<O>;
}

export function decodeResponse<O extends UsiOperation>(op: O, element: Element): OperationResponse<O> {
  expectRoot(element, `${op}Response`);
  return decodeRoot(element, USI_NS, OPERATION_SCHEMAS[op].response) as OperationResponse<O>;
}

function expectRoot(element: Element, localName: string): void {
  if (element.namespaceURI !== USI_NS || element.localName !== localName) {
    throw new UsiError(
      'xml.unexpected_content',
      `expected {${USI_NS}}${localName}, found {${element.namespaceURI ?? ''}}${element.localName}`,
    );
  }
}
