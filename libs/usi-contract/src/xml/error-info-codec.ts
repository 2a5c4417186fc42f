import type { Element, Node } from '@xmldom/xmldom';
import { ERROR_INFO_NS } from '../constants';
import { UsiError } from '../errors/usi-error';
import { INT, el, obj, str } from '../schema/field-spec';
import type { ErrorInfo } from '../types/error-info.types';
import { decodeListRoot, decodeRoot } from './schema-decoder';
import { encodeListRoot, encodeRoot } from './schema-encoder';

const ERROR_INFO = obj([el('Code', INT), el('Title', str()), el('Message', str())]);

/** One entry → `<ErrorInfo>`, several → `<ArrayOfErrorInfo>`, matching the two faults every operation declares. */
export function encodeErrorInfo(list: readonly ErrorInfo[], namespace: string = ERROR_INFO_NS): string {
  if (list.length === 0) {
    throw new UsiError('contract.invalid_value', 'encodeErrorInfo needs at least one ErrorInfo');
  }
  return list.length === 1
    ? encodeRoot('ErrorInfo', namespace, ERROR_INFO, list[0])
    : encodeListRoot('ArrayOfErrorInfo', namespace, 'ErrorInfo', ERROR_INFO, list);
}

/**
 * Accepts the SOAP fault `Detail` element (or the ErrorInfo / ArrayOfErrorInfo element itself) and returns every
 * ErrorInfo it carries. `namespace`: the web-service version's fault-detail namespace (v5: 2020/ws).
 */
export function decodeErrorInfo(detail: Element, namespace: string = ERROR_INFO_NS): ErrorInfo[] {
  const target = isErrorInfoRoot(detail, namespace) ? detail : firstErrorInfoChild(detail, namespace);
  if (!target) {
    throw new UsiError('xml.unexpected_content', `no {${namespace}}ErrorInfo in fault detail`);
  }
  const decoded =
    target.localName === 'ErrorInfo'
      ? [decodeRoot(target, namespace, ERROR_INFO)]
      : decodeListRoot(target, namespace, 'ErrorInfo', ERROR_INFO);
  return decoded as ErrorInfo[];
}

function isErrorInfoRoot(element: Element, namespace: string): boolean {
  return (
    element.namespaceURI === namespace &&
    (element.localName === 'ErrorInfo' || element.localName === 'ArrayOfErrorInfo')
  );
}

function firstErrorInfoChild(element: Element, namespace: string): Element | undefined {
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && isErrorInfoRoot(node as Element, namespace)) {
      return node as Element;
    }
  }
  return undefined;
}
