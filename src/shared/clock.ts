/** The one clock shape: time as the app sees it, injected so tests and benchmarks can drive it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock reading the given time source (e.g. a test's `now`); it sleeps in real time. */
export function clockFrom(now: () => Date): Clock {
  return { now: () => now().getTime(), sleep: systemClock.sleep };
}

/** The clock's time as a `Date` (for code that stores or compares dates). */
export function dateOf(clock: Clock): () => Date {
  return () => new Date(clock.now());
}
