import type { Element } from '@xmldom/xmldom';
import { UsiError } from '../errors/usi-error';
import type { OperationRequest, OperationResponse, UsiOperation } from '../operations/usi-operation';
import type { UsiServiceVersion } from '../versions/service-version';
import { DEFAULT_SERVICE_VERSION, schemasFor } from '../versions/service-versions';
import { decodeRoot } from './schema-decoder';
import { encodeRoot } from './schema-encoder';

/**
 * `<VerifyUSI xmlns="http://usi.gov.au/2022/ws">…</VerifyUSI>`, elements in XSD sequence order. Every function takes
 * the web-service version last (default v5): its namespace and its schema delta.
 */
export function encodeRequest<O extends UsiOperation>(
  op: O,
  request: OperationRequest<O>,
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): string {
  return encodeRoot(op, version.namespace, schemasFor(version)[op].request, request);
}

export function encodeResponse<O extends UsiOperation>(
  op: O,
  response: OperationResponse<O>,
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): string {
  return encodeRoot(`${op}Response`, version.namespace, schemasFor(version)[op].response, response);
}

export function decodeRequest<O extends UsiOperation>(
  op: O,
  element: Element,
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): OperationRequest<O> {
  expectRoot(element, op, version.namespace);
  return decodeRoot(element, version.namespace, schemasFor(version)[op].request) as OperationRequest<O>;
}

export function decodeResponse<O extends UsiOperation>(
  op: O,
  element: Element,
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): OperationResponse<O> {
  expectRoot(element, `${op}Response`, version.namespace);
  return decodeRoot(element, version.namespace, schemasFor(version)[op].response) as OperationResponse<O>;
}

function expectRoot(element: Element, localName: string, namespace: string): void {
  if (element.namespaceURI !== namespace || element.localName !== localName) {
    throw new UsiError(
      'xml.unexpected_content',
      `expected {${namespace}}${localName}, found {${element.namespaceURI ?? ''}}${element.localName}`,
    );
  }
}
