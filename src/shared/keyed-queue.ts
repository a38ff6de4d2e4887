/**
 * The one per-key queue: tasks run in order per key (one user's updates, one course's claims)
 * while different keys run concurrently, with an optional cap on concurrency and on queued work.
 * Channels push updates into a bounded one; the runner and the claims `run` tasks on an unbounded one.
 */

/** Options for `KeyedQueue`. */
export interface KeyedQueueOptions {
  /** Tasks running at once across all keys. */
  concurrency: number;
  /** Tasks queued or running before `push` refuses more. */
  maxPending: number;
  /** Called when a task throws; the queue itself never rejects. */
  onError: (error: unknown, key: string) => void;
}

type Task = () => Promise<void>;

/** A per-key FIFO with bounded concurrency and bounded backlog. */
export class KeyedQueue {
  private readonly waiting = new Map<string, Task[]>();
  private readonly ready: string[] = [];
  private readonly active = new Set<string>();
  private pendingCount = 0;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];

  constructor(private readonly options: KeyedQueueOptions) {}

  /** Keys with work queued or running. */
  get size(): number {
    return this.active.size + [...this.waiting.keys()].filter((k) => !this.active.has(k)).length;
  }

  /**
   * Runs `task` after the key's earlier tasks and resolves or rejects with its result (never
   * refused: `run` is for unbounded queues). One failed task does not hold up the next.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push(key, () => task().then(resolve, reject), true);
    });
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.pendingCount;
  }

  /** Whether the backlog is full (new work should be refused or delayed). */
  get full(): boolean {
    return this.pendingCount >= this.options.maxPending;
  }

  /**
   * Queues `task` behind earlier tasks of the same key; false when the backlog is full. `force`
   * queues anyway: for a poller that waited for room before fetching (its overshoot is one batch).
   */
  push(key: string, task: Task, force = false): boolean {
    if (this.full && !force) return false;
    this.pendingCount++;
    const list = this.waiting.get(key);
    if (list) list.push(task);
    else {
      this.waiting.set(key, [task]);
      if (!this.active.has(key)) this.ready.push(key);
    }
    this.pump();
    return true;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when the backlog has room again, or when `signal` aborts (so a stopping poller never hangs). */
  hasSpace(signal?: AbortSignal): Promise<void> {
    if (!this.full || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.spaceWaiters = this.spaceWaiters.filter((w) => w !== done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.spaceWaiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  private pump(): void {
    while (this.active.size < this.options.concurrency) {
      const key = this.ready.shift();
      if (key === undefined) break;
      const list = this.waiting.get(key);
      const task = list?.shift();
      if (!task) continue;
      if (list && list.length === 0) this.waiting.delete(key);
      this.active.add(key);
      void this.execute(key, task);
    }
  }

  private async execute(key: string, task: Task): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.options.onError(error, key);
    }
    this.active.delete(key);
    this.pendingCount--;
    if (this.waiting.has(key)) this.ready.push(key);
    this.pump();
    this.notify();
  }

  private notify(): void {
    if (!this.full) {
      const waiters = this.spaceWaiters;
      this.spaceWaiters = [];
      for (const w of waiters) w();
    }
    if (this.pendingCount === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

/** Waits for `queue` to finish its work, at most `timeoutMs`; resolves whether it drained. */
export async function drainQueue(queue: KeyedQueue, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([queue.idle().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** An unbounded per-key queue (no cap on concurrency or backlog), for `run`. */
export function createKeyedQueue(): KeyedQueue {
  // `run` hands errors to its caller, so nothing reaches onError.
  return new KeyedQueue({ concurrency: Number.POSITIVE_INFINITY, maxPending: Number.POSITIVE_INFINITY, onError: () => undefined });
}
