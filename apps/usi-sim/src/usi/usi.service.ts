import {
  decodeRequest,
  encodeResponse,
  SERVICE_VERSIONS,
  USI_OPERATIONS,
  UsiError,
  V5,
  type ErrorInfo,
  type UsiOperation,
  type UsiServiceVersion,
} from '@usi/contract';
import type { Document, Element } from '@xmldom/xmldom';
import { parseXml, selectElements, verifyHmac, type VerifiedReferences } from '@usi/ws-security';
import { SIM_ERROR, SimError } from '../errors/sim-error';
import type { Registry } from '../registry/registry';
import { UsiFault } from '../registry/usi-fault';
import { addressesPath } from '../soap/endpoint-match';
import { checkTimestamp, readEnvelope, type IncomingEnvelope } from '../soap/envelope-reader';
import { faultResponse, responseEnvelope, SOAP12_CONTENT_TYPE, type FaultSpec, type SimResponse } from '../soap/soap-response';
import type { TokenClaims } from '../token/token-claims';
import type { TokenSealer } from '../token/token-sealer';
import {
  ACTION_NOT_SUPPORTED,
  DESTINATION_UNREACHABLE,
  errorInfoFault,
  injectedError,
  INTERNAL_FAULT,
  INVALID_SECURITY,
  MALFORMED_MESSAGE,
  ORGANISATION_FAILED_AUTHORISATION,
  organisationNotFound,
  VERSION_OUTDATED,
} from './usi-faults';

/** The v5 service path (every version's is `UsiServiceVersion.endpointPath`). */
export const USI_PATH = V5.endpointPath;

/** The web-service version whose endpoint this path is (case-insensitive, as IIS), if any. */
export function versionAtPath(path: string): UsiServiceVersion | undefined {
  return SERVICE_VERSIONS.find((v) => v.endpointPath.toLowerCase() === path.toLowerCase());
}

export interface UsiDependencies {
  sealer: TokenSealer;
  registry: Registry;
  /** Audiences (STS AppliesTo values) whose tokens this service accepts. */
  audiences: () => readonly string[];
  /** Versions the registry has been told to refuse as outdated (ErrorInfo 3458). */
  outdated?: () => ReadonlySet<string>;
}

/** What the fault injector asked for on this request. */
export interface UsiCallOptions {
  injectErrorCode?: number;
}

/** Cheap look at the action before parsing, so counters and fault rules can be applied per operation. */
export function peekOperation(xml: string, version: UsiServiceVersion = V5): UsiOperation | undefined {
  const match = /<(?:[\w.-]+:)?Action\b[^>]*>\s*([^<\s]+)\s*</.exec(xml);
  const action = match?.[1] ?? '';
  const name = action.startsWith(version.actionPrefix) ? action.slice(version.actionPrefix.length) : '';
  return USI_OPERATIONS.find((op) => op === name);
}

/**
 * The USI service, one instance per web-service version (endpoint path, namespaces, schema): WS-Security with the
 * STS token and proof-key HMAC, then OrgCode authorisation, then the registry. A version the admin API marked as
 * outdated is answered with ErrorInfo 3458 once the envelope is read, before any security check.
 */
export class UsiService {
  constructor(
    private readonly deps: UsiDependencies,
    readonly version: UsiServiceVersion = V5,
  ) {}

  async handle(xml: string, now: Date, options: UsiCallOptions = {}): Promise<SimResponse> {
    let relatesTo: string | undefined;
    let operation: UsiOperation | undefined;
    const { version } = this;
    try {
      const doc = parseXml(xml);
      const envelope = readEnvelope(doc);
      relatesTo = envelope.messageId;
      operation = this.operationOf(envelope);
      if (!addressesPath(envelope.to, version.endpointPath)) throw new SimError(SIM_ERROR.badTo, `a:To ${envelope.to} is not this service`);
      if (this.deps.outdated?.().has(version.id)) throw new UsiFault([VERSION_OUTDATED]);
      const claims = this.authenticate(doc, envelope, now);
      if (options.injectErrorCode !== undefined) throw new UsiFault([injectedError(options.injectErrorCode)]);
      const orgCode = this.authorise(operation, envelope.body, claims);
      const request = decodeRequest(operation, envelope.body, version);
      const response = await this.deps.registry.handle(operation, request, { abn: claims.subjectAbn, ...(orgCode ? { orgCode } : {}) });
      return {
        status: 200,
        contentType: SOAP12_CONTENT_TYPE,
        body: responseEnvelope({
          action: `${version.actionPrefix}${operation}Response`,
          ...(relatesTo ? { relatesTo } : {}),
          now,
          bodyXml: encodeResponse(operation, response, version),
        }),
      };
    } catch (error) {
      return faultResponse(this.faultFor(error, operation), relatesTo, error);
    }
  }

  private operationOf(envelope: IncomingEnvelope): UsiOperation {
    const prefix = this.version.actionPrefix;
    const name = envelope.action.startsWith(prefix) ? envelope.action.slice(prefix.length) : '';
    const operation = USI_OPERATIONS.find((op) => op === name);
    if (!operation || envelope.body.namespaceURI !== this.version.namespace || envelope.body.localName !== operation) {
      throw new SimError(SIM_ERROR.badAction, `action ${envelope.action} does not match a known operation and the body`);
    }
    return operation;
  }

  private authenticate(doc: Document, envelope: IncomingEnvelope, now: Date): TokenClaims {
    checkTimestamp(envelope.timestamp, now);
    const token =
      selectElements('xenc:EncryptedData', envelope.security)[0] ?? selectElements('saml:EncryptedAssertion', envelope.security)[0];
    if (!token) throw new SimError(SIM_ERROR.badToken, 'no issued token in the Security header');
    const claims = this.deps.sealer.open(token);
    let verified: VerifiedReferences;
    try {
      verified = verifyHmac(doc, claims.proofKey);
    } catch (error) {
      throw new SimError(SIM_ERROR.badSignature, `proof-key signature does not verify: ${error instanceof UsiError ? error.code : 'error'}`);
    }
    if (verified.signedElements.get('_0') !== envelope.timestamp.element) {
      throw new SimError(SIM_ERROR.badSignature, 'the signature must cover the Security Timestamp as _0');
    }
    const keyIdentifier = selectElements('ds:Signature/ds:KeyInfo/o:SecurityTokenReference/o:KeyIdentifier', envelope.security)[0];
    if (keyIdentifier?.textContent?.trim() !== claims.assertionId) {
      throw new SimError(SIM_ERROR.badToken, 'the signature KeyInfo does not reference the token sent');
    }
    if (now < claims.notBefore || now >= claims.notOnOrAfter) throw new SimError(SIM_ERROR.badToken, 'the token is not valid now');
    if (!this.deps.audiences().includes(claims.audience)) throw new SimError(SIM_ERROR.badAppliesTo, 'the token was issued for another service');
    return claims;
  }

  /** The OrgCode must be registered, belong to the token's subject ABN and have web-service access. */
  private authorise(operation: UsiOperation, body: Element, claims: TokenClaims): string | undefined {
    const child = (name: string) =>
      selectElements('*', body).find((e) => e.localName === name && e.namespaceURI === this.version.namespace)?.textContent?.trim();
    const orgCode = operation === 'BulkUploadRetrieve' ? this.deps.registry.receiptOwner(child('ReceiptNumber') ?? '') : child('OrgCode');
    // An unknown receipt is the registry's business (it answers "could not be found"), so it is not refused here.
    if (operation === 'BulkUploadRetrieve' && orgCode === undefined) return undefined;
    if (!orgCode) throw new UsiFault([organisationNotFound('')]);
    const org = this.deps.registry.organisations.find(orgCode);
    if (!org) throw new UsiFault([organisationNotFound(orgCode)]);
    if (org.abn !== claims.subjectAbn || !org.webServiceAccess) throw new UsiFault([ORGANISATION_FAILED_AUTHORISATION]);
    return org.orgCode;
  }

  private faultFor(error: unknown, operation: UsiOperation | undefined): FaultSpec {
    if (error instanceof UsiFault) return errorInfoFault(operation ?? 'VerifyUSI', error.errors, this.version);
    if (error instanceof SimError) {
      if (error.code === SIM_ERROR.badAction) return ACTION_NOT_SUPPORTED;
      if (error.code === SIM_ERROR.badTo) return DESTINATION_UNREACHABLE;
      if (error.code === SIM_ERROR.malformed) return MALFORMED_MESSAGE;
      return INVALID_SECURITY;
    }
    if (error instanceof UsiError && error.code.startsWith('xml.') && operation) {
      // The envelope parsed but the body did not decode: the registry's generic validation fault.
      return errorInfoFault(operation, [validation(error.message)], this.version);
    }
    if (error instanceof UsiError && error.code.startsWith('xml.')) return MALFORMED_MESSAGE;
    return INTERNAL_FAULT;
  }
}

function validation(message: string): ErrorInfo {
  return { code: 1002, title: 'Generic Validation', message };
}
