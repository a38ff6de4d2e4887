import type { Clock } from "../../src/shared/clock.js";

/**
 * A clock that only moves when every pending task is asleep: `run()` jumps to the earliest
 * wake-up, so rate-limited work takes no real time and is fully deterministic.
 */
export class VirtualClock implements Clock {
  private t = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve }));
  }

  /** Advances time until `done` settles. */
  async run<T>(done: Promise<T>): Promise<T> {
    let finished = false;
    void done.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      if (finished) break;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.timers[0]!;
      this.t = Math.max(this.t, first.at);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const x of due) x.resolve();
    }
    return done;
  }
}

/** The largest number of timestamps inside any half-open window `[t, t + windowMs)`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    // The epsilon absorbs floating-point sums (933.33… + 1000 may print as 1933.33… - 1e-13).
    while (sorted[hi]! - sorted[lo]! >= windowMs - 1e-6) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
