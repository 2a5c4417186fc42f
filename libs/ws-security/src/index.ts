export { WsSecurityError } from './errors/ws-security.error';
export { NS, XPATH_PREFIXES, select, selectOne, selectElements } from './xml/namespaces';
export { parseXml, DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_DEPTH, type ParseXmlOptions } from './xml/parse-xml';
export { escapeXml } from './xml/escape-xml';
export { soapEnvelope, WSA_ANONYMOUS, type SoapEnvelopeInput } from './soap/soap-envelope.builder';
export {
  timestampXml,
  wsuDateTime,
  binarySecurityTokenXml,
  bstReferenceXml,
  BST_VALUE_TYPE_X509V3,
  BST_ENCODING_BASE64,
} from './soap/security-header.builder';
export * from './signature/algorithms';
export { signX509, type SignX509Options } from './signature/sign-x509';
export { signHmac, type SignHmacOptions } from './signature/sign-hmac';
export { verifyX509, type VerifyX509Options, type VerifiedX509 } from './signature/verify-x509';
export { verifyHmac } from './signature/verify-hmac';
export type { VerifiedReferences } from './signature/wsse-verifier';
export { readTimestamp, type WsuTimestamp } from './soap/read-timestamp';
export { parseSoapFault, soapFaultXml, WSA_FAULT_ACTION, type SoapFault, type SoapFaultInput } from './soap/soap-fault';
