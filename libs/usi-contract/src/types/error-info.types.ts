/** SOAP fault detail (namespace http://usi.gov.au/2020/ws), e.g. 2002 "Organisation Failed Authorisation". */
export interface ErrorInfo {
  code: number;
  title: string;
  message: string;
}
