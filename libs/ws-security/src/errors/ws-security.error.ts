import { UsiError } from '@usi/contract';

/**
 * Codes: `xml.doctype_forbidden`, `xml.too_large`, `xml.too_deep`, `xml.malformed`, `xml.unexpected_root`,
 * `wsse.missing_signature`, `wsse.bad_signature`, `wsse.unsupported_algorithm`, `wsse.bad_timestamp`,
 * `wsse.reference_not_found`.
 */
export class WsSecurityError extends UsiError {}
