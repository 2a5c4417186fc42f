import { MARYAM } from '../../usi/support/usi-requests';

/** One verify call as a client saw it: an HTTP answer, or a failure to get one (`error`, e.g. ECONNREFUSED). */
export interface Outcome {
  requestId: string;
  startedAt: number;
  endedAt: number;
  status?: number;
  contentType?: string;
  code?: string;
  error?: string;
}

export interface VerifyLoadOptions {
  baseUrl: string;
  apiKey: string;
  orgCode: string;
  /** Request ids are `<prefix>-<client>-<n>`, so the audit rows of each call can be found. */
  prefix: string;
  clients?: number;
  /** Pause between one client's calls: a steady load that leaves the shared CPUs some room. */
  pauseMs?: number;
  /** A call not answered by then counts as a hang. */
  timeoutMs?: number;
}

/** A few clients calling POST /v1/organisations/{org}/usi/verify back to back, each answer recorded. */
export class VerifyLoad {
  private readonly outcomes: Outcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: VerifyLoadOptions) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.clients ?? 4 }, (_, i) => this.loop(i));
  }

  /** Waits for the calls in flight and returns every outcome, in start order. */
  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.snapshot();
  }

  snapshot(): Outcome[] {
    return [...this.outcomes].sort((a, b) => a.startedAt - b.startedAt);
  }

  private async loop(client: number): Promise<void> {
    for (let n = 0; this.running; n++) {
      this.outcomes.push(await this.call(`${this.options.prefix}-${client}-${n}`));
      await new Promise((r) => setTimeout(r, this.options.pauseMs ?? 20));
    }
  }

  private async call(requestId: string): Promise<Outcome> {
    const { baseUrl, apiKey, orgCode } = this.options;
    const startedAt = Date.now();
    try {
      const res = await fetch(`${baseUrl}/v1/organisations/${orgCode}/usi/verify`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
        body: JSON.stringify(MARYAM),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? undefined;
      const code = res.ok ? undefined : codeOf(text);
      return { requestId, startedAt, endedAt: Date.now(), status: res.status, contentType, code };
    } catch (err) {
      return { requestId, startedAt, endedAt: Date.now(), error: errorCode(err) };
    }
  }
}

function codeOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/** `fetch failed` hides the socket error in `cause`: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET … or a timeout. */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
