/** What a completed request left behind for replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** Only headers that change the meaning of the replay (content type, location, retry-after). */
  headers: Record<string, string>;
}

export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string }
  | { status: 'completed'; requestHash: string; response: StoredResponse };

/** The outcome of claiming a key: this request runs, or another one owns (or owned) the key. */
export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord | undefined };
