import type { Element, Node } from '@xmldom/xmldom';
import { ERROR_INFO_NS } from '../constants';
import { UsiError } from '../errors/usi-error';
import { INT, el, obj, str } from '../schema/field-spec';
import type { ErrorInfo } from '../types/error-info.types';
import { decodeListRoot, decodeRoot } from './schema-decoder';
import { encodeListRoot, encodeRoot } from './schema-encoder';

const ERROR_INFO = obj([el('Code', INT), el('Title', str()), el('Message', str())]);

/** One entry → `<ErrorInfo>`, several → `<ArrayOfErrorInfo>`, matching the two faults every operation declares. */
export function encodeErrorInfo(list: readonly ErrorInfo[]): string {
  if (list.length === 0) {
    throw new UsiError('contract.invalid_value', 'encodeErrorInfo needs at least one ErrorInfo');
  }
  return list.length === 1
    ? encodeRoot('ErrorInfo', ERROR_INFO_NS, ERROR_INFO, list[0])
    : encodeListRoot('ArrayOfErrorInfo', ERROR_INFO_NS, 'ErrorInfo', ERROR_INFO, list);
}

/**
 * Accepts the SOAP fault `Detail` element (or the ErrorInfo / ArrayOfErrorInfo element itself) and returns every
 * ErrorInfo it carries.
 */
export function decodeErrorInfo(detail: Element): ErrorInfo[] {
  const target = isErrorInfoRoot(detail) ? detail : firstErrorInfoChild(detail);
  if (!target) {
    throw new UsiError('xml.unexpected_content', `no {${ERROR_INFO_NS}}ErrorInfo in fault detail`);
  }
  const decoded =
    target.localName === 'ErrorInfo'
      ? [decodeRoot(target, ERROR_INFO_NS, ERROR_INFO)]
      : decodeListRoot(target, ERROR_INFO_NS, 'ErrorInfo', ERROR_INFO);
  return decoded as ErrorInfo[];
}

function isErrorInfoRoot(element: Element): boolean {
  return (
    element.namespaceURI === ERROR_INFO_NS &&
    (element.localName === 'ErrorInfo' || element.localName === 'ArrayOfErrorInfo')
  );
}

function firstErrorInfoChild(element: Element): Element | undefined {
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && isErrorInfoRoot(node as Element)) {
      return node as Element;
    }
  }
  return undefined;
}
