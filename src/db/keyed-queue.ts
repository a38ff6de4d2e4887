/** Runs async tasks one at a time per key, in arrival order (within one process). */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    /** Runs `task` after every earlier task of the same key has settled. */
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      // Forget idle keys so the map does not grow with every course ever seen.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}

/** A per-key serial queue. */
export type KeyedQueue = ReturnType<typeof createKeyedQueue>;
