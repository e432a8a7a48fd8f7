// Group commit: inserts that arrive while one is being written go out together in the next
// statement. Each caller still waits until its own row is stored, so nothing is acknowledged
// before it is durable, but a busy API pays one round trip per batch instead of per row.
export function createBatcher<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch = 500): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
