/**
 * Per-key token buckets (a visitor, an IP address) for messages over open WebSockets, which
 * HTTP rate limiting never sees. Memory is bounded: the least recently used keys are dropped.
 */

/** Options for `RateBuckets`. */
export interface RateBucketOptions {
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** The most tokens a key may hold (the burst). */
  burst: number;
  /** Keys remembered (default 50 000). */
  capacity?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets keyed by string. */
export class RateBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateBucketOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Takes one token for `key`; false when none is left (the caller refuses the message). */
  take(key: string): boolean {
    const now = this.now();
    const found = this.buckets.get(key);
    const bucket = found ?? { tokens: this.options.burst, at: now };
    if (found) this.buckets.delete(key);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) * this.options.perMinute) / 60_000);
    bucket.at = now;
    // Re-inserted last: the Map's order is least recently used first.
    this.buckets.set(key, bucket);
    if (this.buckets.size > (this.options.capacity ?? 50_000)) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
