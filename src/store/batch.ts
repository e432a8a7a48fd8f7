// Group commit: inserts that arrive in the same turn of the event loop, or while one is being
// written, go out together in one statement. Each caller still waits until its own row is stored,
// so nothing is acknowledged before it is durable, but a busy API pays one statement per batch
// instead of per row. (PGlite executes on this thread, so without the one-turn wait a write would
// always be finished before the next request got there.)
export function createBatcher<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch = 500): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // one bad row must not fail the requests that merely shared its statement
        else for (const b of batch) await write([b.item]).then((r) => b.resolve(r[0]!), b.reject);
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
}
