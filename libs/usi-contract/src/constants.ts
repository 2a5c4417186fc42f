/** Namespace of every v5 request and response body. */
export const USI_NS = 'http://usi.gov.au/2022/ws';
/** v5 kept the v4 namespace for SOAP fault details (ErrorInfo / ArrayOfErrorInfo). */
export const ERROR_INFO_NS = 'http://usi.gov.au/2020/ws';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
