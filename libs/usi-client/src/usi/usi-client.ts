import { DEFAULT_SERVICE_VERSION, OperationRequest, OperationResponse, UsiOperation, UsiServiceVersion } from '@usi/contract';
import { MachineCredential } from '../credential/machine-credential';
import { Endpoints } from '../endpoints';
import { UsiClientError } from '../errors/usi-client-error';
import { ClockOffsetListener } from '../exchange/clock-offset';
import { ExchangeGuard, ExchangeObserver } from '../exchange/exchange-observer';
import { issuedUsiOf } from '../exchange/issued-usi';
import { summariseOutcome } from '../exchange/outcome-summary';
import { observedExchange } from '../exchange/observed-exchange';
import { HttpTransport, soapHeaders } from '../http/http-transport';
import { UndiciHttpTransport } from '../http/undici-http-transport';
import { StsClient } from '../sts/sts-client';
import { ActAs, SecurityToken } from '../token/security-token';
import { TokenCache, TokenCacheKey } from '../token/token-cache';
import { buildUsiRequest } from './usi-request.builder';
import { inlineResponseReader, UsiResponseReader } from './usi-response.reader';

export interface CallContext {
  credential: MachineCredential;
  actAs?: ActAs;
  /** Epoch ms by which the whole call (token issue included) must finish. */
  deadline?: number;
  requestId?: string;
}

export interface UsiClientOptions {
  endpoints: Endpoints;
  transport?: HttpTransport;
  /** Drives message timestamps and token freshness; deadlines always use the real clock. */
  clock?: () => Date;
  timeoutMs?: number;
  tokenCache?: TokenCache;
  observer?: ExchangeObserver;
  /** Around each STS and each USI exchange (e.g. one circuit breaker per endpoint). */
  guard?: ExchangeGuard;
  tokenLifetimeSeconds?: number;
  /** The web-service version spoken (namespace, actions, schema); default v5. The endpoint comes from `endpoints`. */
  version?: UsiServiceVersion;
  /** Told the STS's clock offset, read from each of its responses that carries a time (faults included). */
  onClockOffset?: ClockOffsetListener;
  /** Reads each USI reply (default: inline; `ThreadedResponseReader` reads large ones on worker threads). */
  responseReader?: UsiResponseReader;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** WCF answers a token it no longer accepts with these subcodes; one fresh token is worth a second attempt. */
const TOKEN_REJECTED = /InvalidSecurity|FailedAuthentication|SecurityTokenExpired/i;

/** Calls the USI service (v5 unless told otherwise) with a token from MAS-ST, signing each message with the token's proof key. */
export class UsiClient {
  private readonly endpoints: Endpoints;
  private readonly transport: HttpTransport;
  /** Set when the client created its own pool, which it then has to close. */
  private readonly ownTransport?: UndiciHttpTransport;
  private readonly clock: () => Date;
  private readonly timeoutMs: number;
  private readonly tokenCache: TokenCache;
  private readonly observer?: ExchangeObserver;
  private readonly guard?: ExchangeGuard;
  private readonly sts: StsClient;
  private readonly tokenLifetimeSeconds?: number;
  private readonly reader: UsiResponseReader;
  readonly version: UsiServiceVersion;

  constructor(opts: UsiClientOptions) {
    this.endpoints = opts.endpoints;
    this.ownTransport = opts.transport ? undefined : new UndiciHttpTransport();
    this.transport = opts.transport ?? this.ownTransport!;
    this.clock = opts.clock ?? (() => new Date());
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenCache = opts.tokenCache ?? new TokenCache({ clock: this.clock });
    this.observer = opts.observer;
    this.guard = opts.guard;
    this.tokenLifetimeSeconds = opts.tokenLifetimeSeconds;
    this.version = opts.version ?? DEFAULT_SERVICE_VERSION;
    this.reader = opts.responseReader ?? inlineResponseReader;
    this.sts = new StsClient({
      stsUrl: opts.endpoints.stsUrl,
      transport: this.transport,
      clock: this.clock,
      observer: opts.observer,
      guard: opts.guard,
      onClockOffset: opts.onClockOffset,
    });
  }

  async call<O extends UsiOperation>(op: O, ctx: CallContext, request: OperationRequest<O>): Promise<OperationResponse<O>> {
    const deadline = ctx.deadline ?? Date.now() + this.timeoutMs;
    const key = this.cacheKey(ctx);
    for (let attempt = 1; ; attempt++) {
      const { token, hit } = await this.token(key, ctx, deadline);
      try {
        return await this.send(op, ctx, request, token, { attempt, hit, deadline });
      } catch (err) {
        if (attempt > 1 || !hit || !isTokenRejection(err)) throw err;
        this.tokenCache.invalidate(key);
      }
    }
  }

  /** Issues (or reuses) the token a call with this context would use; lets operators check credentials end to end. */
  async acquireToken(ctx: CallContext): Promise<{ token: SecurityToken; hit: boolean; cacheKey: TokenCacheKey }> {
    const cacheKey = this.cacheKey(ctx);
    const { token, hit } = await this.token(cacheKey, ctx, ctx.deadline ?? Date.now() + this.timeoutMs);
    return { token, hit, cacheKey };
  }

  private token(key: TokenCacheKey, ctx: CallContext, deadline: number): Promise<{ token: SecurityToken; hit: boolean }> {
    const issue = () =>
      this.sts.issue(
        { credential: ctx.credential, appliesTo: this.endpoints.appliesTo, actAs: ctx.actAs, lifetimeSeconds: this.tokenLifetimeSeconds },
        { timeoutMs: remainingMs(deadline), requestId: ctx.requestId },
      );
    return withDeadline(this.tokenCache.get(key, issue), deadline);
  }

  private cacheKey(ctx: CallContext): TokenCacheKey {
    return {
      credentialId: ctx.credential.id,
      ...(ctx.credential.sha1Fingerprint ? { credentialFingerprint: ctx.credential.sha1Fingerprint } : {}),
      appliesTo: this.endpoints.appliesTo,
      secondPartyAbn: ctx.actAs?.secondPartyAbn,
      ssid: ctx.actAs?.ssid,
    };
  }

  verifyUsi(ctx: CallContext, req: OperationRequest<'VerifyUSI'>) {
    return this.call('VerifyUSI', ctx, req);
  }
  bulkVerifyUsi(ctx: CallContext, req: OperationRequest<'BulkVerifyUSI'>) {
    return this.call('BulkVerifyUSI', ctx, req);
  }
  createUsi(ctx: CallContext, req: OperationRequest<'CreateUSI'>) {
    return this.call('CreateUSI', ctx, req);
  }
  bulkUpload(ctx: CallContext, req: OperationRequest<'BulkUpload'>) {
    return this.call('BulkUpload', ctx, req);
  }
  bulkUploadRetrieve(ctx: CallContext, req: OperationRequest<'BulkUploadRetrieve'>) {
    return this.call('BulkUploadRetrieve', ctx, req);
  }
  locateUsi(ctx: CallContext, req: OperationRequest<'LocateUSI'>) {
    return this.call('LocateUSI', ctx, req);
  }
  updateUsiPersonalDetails(ctx: CallContext, req: OperationRequest<'UpdateUSIPersonalDetails'>) {
    return this.call('UpdateUSIPersonalDetails', ctx, req);
  }
  updateUsiContactDetails(ctx: CallContext, req: OperationRequest<'UpdateUSIContactDetails'>) {
    return this.call('UpdateUSIContactDetails', ctx, req);
  }
  getNonDvsDocumentTypes(ctx: CallContext, req: OperationRequest<'GetNonDvsDocumentTypes'>) {
    return this.call('GetNonDvsDocumentTypes', ctx, req);
  }
  getCountries(ctx: CallContext, req: OperationRequest<'GetCountries'>) {
    return this.call('GetCountries', ctx, req);
  }

  /** Closes the HTTP pool when the client created it. */
  async close(): Promise<void> {
    await this.ownTransport?.close();
  }

  private async send<O extends UsiOperation>(
    op: O,
    ctx: CallContext,
    request: OperationRequest<O>,
    token: SecurityToken,
    at: { attempt: number; hit: boolean; deadline: number },
  ): Promise<OperationResponse<O>> {
    const { usiUrl } = this.endpoints;
    const { version } = this;
    const { xml, action } = buildUsiRequest({ op, request, token, usiUrl, now: this.clock(), version });
    const exchange = () =>
      observedExchange(
        this.observer,
        { kind: 'usi', operation: op, endpoint: usiUrl, attempt: at.attempt, requestId: ctx.requestId, tokenCacheHit: at.hit },
        xml,
        () => this.transport.post(usiUrl, xml, { headers: soapHeaders(action), timeoutMs: remainingMs(at.deadline) }),
        (res) => this.reader.read(op, res, usiUrl, version),
        (response) => summariseOutcome(op, response),
        (response) => issuedUsiOf(op, response),
      );
    return this.guard ? this.guard('usi', exchange) : exchange();
  }
}

function isTokenRejection(err: unknown): boolean {
  if (!(err instanceof UsiClientError) || err.code !== 'usi.fault' || err.details?.errors) return false;
  return TOKEN_REJECTED.test(String(err.details?.subcode ?? ''));
}

function remainingMs(deadline: number): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new UsiClientError('upstream.timeout', 'Call deadline passed before the request could be sent');
  return left;
}

/** A waiter joining someone else's token issue must still give up at its own deadline. */
function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T> {
  const left = remainingMs(deadline);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UsiClientError('upstream.timeout', 'Call deadline passed while waiting for a token')), left);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
