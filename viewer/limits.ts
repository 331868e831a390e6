// Per-connection rate limits: token buckets refilled continuously (wall clock).

/** Allows `rate` events per second on average and bursts of up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (the event should be refused). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The limits every viewer connection gets, by message type (others share `any`). */
export function connectionLimits(): Record<'any' | 'drag' | 'kick' | 'select', TokenBucket> {
  return {
    any: new TokenBucket(300, 600),
    drag: new TokenBucket(120, 120),
    kick: new TokenBucket(4, 4),
    select: new TokenBucket(1, 3),
  };
}
