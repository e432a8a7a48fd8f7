import { describe, expect, it } from 'vitest';
import { createBatcher } from '../../src/store/batch.js';

describe('group commit batcher', () => {
  it('writes items that arrive together in one call, each caller gets its own result', async () => {
    const calls: number[][] = [];
    const put = createBatcher<number, string>(async (items) => {
      calls.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((i) => `id${i}`);
    });
    const together = Promise.all([0, 1].map((i) => put(i))); // same turn: one statement
    await new Promise((r) => setImmediate(r)); // that write is now in flight
    const rest = await Promise.all([2, 3, 4].map((i) => put(i))); // queued behind it: the next one
    expect(await together).toEqual(['id0', 'id1']);
    expect(rest).toEqual(['id2', 'id3', 'id4']);
    expect(calls).toEqual([[0, 1], [2, 3, 4]]);
  });

  it('fails a caller whose write fails, and carries on with the next', async () => {
    let fail = true;
    const put = createBatcher<number, number>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      return items;
    });
    await expect(put(1)).rejects.toThrow('disk full');
    expect(await put(2)).toBe(2);
  });

  it('a bad item fails alone, not the items that shared its batch', async () => {
    const put = createBatcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('bad row 13');
      return items;
    });
    const results = await Promise.allSettled([1, 13, 3].map((i) => put(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad row 13');
  });

  it('splits large bursts into batches of the maximum size', async () => {
    const sizes: number[] = [];
    const put = createBatcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 3);
    await Promise.all(Array.from({ length: 8 }, (_, i) => put(i)));
    expect(sizes).toEqual([3, 3, 2]);
  });
});
