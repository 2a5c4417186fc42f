import { randomBytes, randomUUID } from 'node:crypto';
import type { Document } from '@xmldom/xmldom';
import { parseXml, verifyX509, type VerifiedX509 } from '@usi/ws-security';
import { UsiError } from '@usi/contract';
import { SIM_ERROR, SimError } from '../errors/sim-error';
import type { NotificationStore } from '../registry/notification.store';
import { addressesPath } from '../soap/endpoint-match';
import { checkTimestamp, readEnvelope, type IncomingEnvelope } from '../soap/envelope-reader';
import { faultResponse, responseEnvelope, SOAP12_CONTENT_TYPE, type SimResponse } from '../soap/soap-response';
import type { TokenSealer } from '../token/token-sealer';
import type { CertifiedParty, TrustStore } from '../trust/trust-store';
import { readTokenRequest, RST_ISSUE_ACTION, type TokenRequest } from './rst-reader';
import { RSTRC_ISSUE_FINAL_ACTION, rstrXml } from './rstr-writer';
import { FORCED_STS_FAULTS, STS_FAULTS, STS_INTERNAL_FAULT, type ForcedStsFault } from './sts-faults';
import type { StsRequestLog, StsRequestRecord } from './sts-request-log';

export const STS_PATH = '/R3.0/S007v1.3/service.svc';
const DEFAULT_LIFETIME_MS = 60 * 60 * 1000;
/** The real cap is unknown (m2m-sts.md §11); 8 h keeps day-long requests from living all day. */
export const MAX_LIFETIME_MS = 8 * 60 * 60 * 1000;

export interface StsDependencies {
  trust: TrustStore;
  sealer: TokenSealer;
  notifications: NotificationStore;
  /** AppliesTo values (relying parties) the STS issues tokens for. */
  appliesTo: () => readonly string[];
  issuer: string;
  /** Records every request the STS handled (who, for whom, outcome). */
  log?: StsRequestLog;
}

/** The MAS-ST S007 v1.3 Issue binding: X.509-signed RST in, encrypted SAML 2.0 assertion and proof key out. */
export class StsService {
  constructor(private readonly deps: StsDependencies) {}

  /** `forceFault`: answer with that refusal once the envelope is read (fault injection), whatever the request. */
  issue(xml: string, now: Date, options: { forceFault?: ForcedStsFault } = {}): SimResponse {
    let relatesTo: string | undefined;
    const record: StsRequestRecord = { at: now.toISOString(), outcome: 'issued', actAs: null };
    try {
      const doc = parseXml(xml);
      const envelope = readEnvelope(doc);
      relatesTo = envelope.messageId;
      if (options.forceFault) throw new SimError(FORCED_STS_FAULTS[options.forceFault], `injected ${options.forceFault}`);
      if (envelope.action !== RST_ISSUE_ACTION) throw new SimError(SIM_ERROR.badAction, `unsupported action ${envelope.action}`);
      if (!addressesPath(envelope.to, STS_PATH)) throw new SimError(SIM_ERROR.badTo, `a:To ${envelope.to} is not this STS`);
      checkTimestamp(envelope.timestamp, now);
      const certificateDer = this.verifySignature(doc, envelope);
      const party = this.deps.trust.verifyLeaf(certificateDer, now);
      Object.assign(record, { credentialAbn: party.abn, credentialId: party.credentialId, credentialFingerprint: party.fingerprint });
      const request = readTokenRequest(envelope.body);
      Object.assign(record, { appliesTo: request.appliesTo, actAs: request.actAs ?? null });
      const response = this.issueToken(party, request, now, relatesTo);
      this.deps.log?.add(record);
      return response;
    } catch (error) {
      const fault = this.faultFor(error);
      this.deps.log?.add({ ...record, outcome: fault.subcode ?? fault.code });
      return faultResponse(fault, relatesTo, error);
    }
  }

  private verifySignature(doc: Document, envelope: IncomingEnvelope): Buffer {
    let verified: VerifiedX509;
    try {
      verified = verifyX509(doc);
    } catch (error) {
      throw new SimError(SIM_ERROR.badSignature, `signature does not verify: ${error instanceof UsiError ? error.code : 'error'}`);
    }
    for (const [id, expected, what] of [
      ['_0', envelope.timestamp.element, 'the Security Timestamp'],
      ['_1', envelope.toElement, 'the a:To header'],
    ] as const) {
      if (verified.signedElements.get(id) !== expected) {
        throw new SimError(SIM_ERROR.badSignature, `the signature must cover ${what} as ${id}`);
      }
    }
    return verified.certificateDer;
  }

  private issueToken(party: CertifiedParty, request: TokenRequest, now: Date, relatesTo: string | undefined): SimResponse {
    if (!this.deps.appliesTo().includes(request.appliesTo)) {
      throw new SimError(SIM_ERROR.badAppliesTo, `AppliesTo ${request.appliesTo} is not a known relying party`);
    }
    const { actAs } = request;
    if (actAs) {
      if (actAs.firstPartyAbn !== party.abn) throw new SimError(SIM_ERROR.actAsRefused, 'ActAs FirstParty is not the credential ABN');
      const notification = this.deps.notifications.findInForce({
        vendorAbn: actAs.firstPartyAbn,
        providerAbn: actAs.secondPartyAbn,
        softwareId: actAs.ssid,
        at: now,
      });
      if (!notification) throw new SimError(SIM_ERROR.actAsRefused, 'no cloud software notification in force');
    }
    const requested = request.lifetime ? request.lifetime.expires.getTime() - request.lifetime.created.getTime() : DEFAULT_LIFETIME_MS;
    const created = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const expires = new Date(created.getTime() + Math.min(requested, MAX_LIFETIME_MS));
    const proofKey = randomBytes(32);
    const assertionId = `_${randomUUID()}`;
    const encryptedAssertionXml = this.deps.sealer.seal(
      {
        assertionId,
        issuer: this.deps.issuer,
        subjectAbn: actAs?.secondPartyAbn ?? party.abn,
        firstPartyAbn: party.abn,
        ...(actAs ? { ssid: actAs.ssid } : {}),
        credentialId: party.credentialId,
        credentialFingerprint: party.fingerprint,
        audience: request.appliesTo,
        notBefore: created,
        notOnOrAfter: expires,
        proofKey,
      },
      now,
    );
    const bodyXml = rstrXml({ encryptedAssertionXml, assertionId, appliesTo: request.appliesTo, proofKey, created, expires });
    return {
      status: 200,
      contentType: SOAP12_CONTENT_TYPE,
      body: responseEnvelope({ action: RSTRC_ISSUE_FINAL_ACTION, ...(relatesTo ? { relatesTo } : {}), now, bodyXml }),
    };
  }

  private faultFor(error: unknown) {
    if (error instanceof SimError) return STS_FAULTS[error.code] ?? STS_INTERNAL_FAULT;
    // Hostile or broken XML from the parser (xml.*) is the sender's fault, not ours.
    if (error instanceof UsiError && error.code.startsWith('xml.')) return STS_FAULTS[SIM_ERROR.malformed]!;
    return STS_INTERNAL_FAULT;
  }
}
