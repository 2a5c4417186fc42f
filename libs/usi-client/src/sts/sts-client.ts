import { ClockOffsetListener, measureClockOffset } from '../exchange/clock-offset';
import { ExchangeGuard, ExchangeObserver } from '../exchange/exchange-observer';
import { observedExchange } from '../exchange/observed-exchange';
import { HttpTransport, soapHeaders } from '../http/http-transport';
import { MachineCredential } from '../credential/machine-credential';
import { ActAs, SecurityToken } from '../token/security-token';
import { buildRst, RST_ISSUE_ACTION } from './rst.builder';
import { parseRstr } from './rstr.parser';

export interface StsClientOptions {
  stsUrl: string;
  transport: HttpTransport;
  clock?: () => Date;
  timeoutMs?: number;
  observer?: ExchangeObserver;
  guard?: ExchangeGuard;
  /** Told the STS's clock offset read from every response that carries a time, faults included. */
  onClockOffset?: ClockOffsetListener;
}

export interface IssueRequest {
  credential: MachineCredential;
  appliesTo: string;
  actAs?: ActAs;
  /** Requested token lifetime; the STS may grant less (m2m-sts.md §3.3). */
  lifetimeSeconds?: number;
}

export interface IssueCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  requestId?: string;
}

const DEFAULT_LIFETIME_SECONDS = 60 * 60;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Obtains a SAML token and proof key from MAS-ST (S007v1.3) for one machine credential. */
export class StsClient {
  private readonly clock: () => Date;

  constructor(private readonly opts: StsClientOptions) {
    this.clock = opts.clock ?? (() => new Date());
  }

  async issue(req: IssueRequest, call: IssueCallOptions = {}): Promise<SecurityToken> {
    const { stsUrl, transport } = this.opts;
    const { xml } = buildRst({
      credential: req.credential,
      stsUrl,
      appliesTo: req.appliesTo,
      actAs: req.actAs,
      lifetimeSeconds: req.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
      now: this.clock(),
    });
    const timeoutMs = call.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let sentAt = this.clock();
    let receivedAt = sentAt;
    const exchange = () =>
      observedExchange(
        this.opts.observer,
        { kind: 'sts', operation: 'Issue', endpoint: stsUrl, attempt: 1, requestId: call.requestId },
        xml,
        async () => {
          sentAt = this.clock();
          const res = await transport.post(stsUrl, xml, { headers: soapHeaders(RST_ISSUE_ACTION), timeoutMs, signal: call.signal });
          receivedAt = this.clock();
          return res;
        },
        (res) => {
          const offset = measureClockOffset(res, { kind: 'sts', endpoint: stsUrl, sentAt, receivedAt });
          if (offset) this.report(offset);
          // A refused timestamp is best explained with the offset the same answer showed.
          return parseRstr(res, stsUrl, offset ? { clockOffsetMs: offset.offsetMs } : undefined);
        },
      );
    return this.opts.guard ? this.opts.guard('sts', exchange) : exchange();
  }

  private report(sample: Parameters<ClockOffsetListener>[0]): void {
    try {
      this.opts.onClockOffset?.(sample);
    } catch {
      // A listener's failure must not fail the token request it observed.
    }
  }
}
