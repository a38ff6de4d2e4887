/**
 * Group commit, the mechanism under `createInsertBatcher` and `createIdReader`: items pushed while
 * a batch is on its way go together in the next one (at most `maxBatch`); with one caller an item
 * goes at once, with no added delay. `send` settles each item of its batch itself and never rejects.
 */
export function createBatchLane<W>(maxBatch: number, send: (batch: W[]) => Promise<void>): (item: W) => void {
  let waiting: W[] = [];
  let sending = false;

  async function pump(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        await send(batch);
      }
    } finally {
      sending = false;
    }
  }

  return (item) => {
    waiting.push(item);
    void pump();
  };
}
