// Write-behind for rows the API answers before storing (diagnosis history): see createWriteBehind.
export interface WriteBehind<T> {
  /**
   * Queues an item. It resolves at once while fewer than `maxPending` items wait; past that bound
   * (the database is not keeping up) it resolves only when this item is written, so callers slow
   * down instead of the queue growing. Rejects only in that case, when the item's write failed.
   */
  push(item: T): Promise<void>;
  /** Resolves when every item pushed before this call has been written (or has failed and been reported). */
  flush(): Promise<void>;
  /** Items queued or being written, oldest first. */
  pending(): number;
}

/**
 * Write-behind: items are acknowledged before they are written and go out in multi-row statements,
 * one at a time, `delayMs` after the first of a batch arrived (or at once when `maxBatch` wait).
 * A failing batch is retried item by item; an item that fails alone goes to `onError` (the caller
 * already has its answer). Call `flush()` before reading what was pushed and before closing the
 * database: what a crash loses is at most what was pending.
 */
export function createWriteBehind<T>(
  write: (items: T[]) => Promise<void>,
  opts: { maxBatch?: number; maxPending?: number; delayMs?: number; onError: (err: unknown, item: T) => void },
): WriteBehind<T> {
  const maxBatch = opts.maxBatch ?? 500;
  const maxPending = opts.maxPending ?? 5_000;
  const delayMs = opts.delayMs ?? 5;
  // items in order; `seq` numbers them so flush() and backpressure wait for a watermark
  let queue: { item: T; seq: number; waiter?: { resolve: () => void; reject: (e: unknown) => void } }[] = [];
  let pushed = 0;
  let written = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;
  const flushWaiters: { seq: number; resolve: () => void }[] = [];

  function settle(upTo: number): void {
    written = upTo;
    for (let i = flushWaiters.length - 1; i >= 0; i--) {
      if (flushWaiters[i]!.seq <= written) flushWaiters.splice(i, 1)[0]!.resolve();
    }
  }

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight = batch.length;
      try {
        await write(batch.map((b) => b.item));
        for (const b of batch) b.waiter?.resolve();
      } catch (err) {
        // one bad row must not lose the rows that merely shared its statement
        for (const b of batch) {
          try {
            if (batch.length > 1) await write([b.item]);
            else throw err;
            b.waiter?.resolve();
          } catch (e) {
            opts.onError(e, b.item);
            b.waiter?.reject(e);
          }
        }
      }
      inFlight = 0;
      settle(batch[batch.length - 1]!.seq);
    }
    writing = null;
  }

  function start(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    writing ??= drain();
  }

  return {
    push(item) {
      const entry: (typeof queue)[number] = { item, seq: ++pushed };
      queue.push(entry);
      const full = queue.length + inFlight >= maxPending;
      const done = full ? new Promise<void>((resolve, reject) => (entry.waiter = { resolve, reject })) : Promise.resolve();
      if (!writing && (queue.length >= maxBatch || full)) start();
      else if (!writing && !timer) timer = setTimeout(start, delayMs);
      return done;
    },
    flush() {
      if (written >= pushed) return Promise.resolve();
      const done = new Promise<void>((resolve) => flushWaiters.push({ seq: pushed, resolve }));
      if (!writing) start();
      return done;
    },
    pending: () => queue.length + inFlight,
  };
}
