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
    const first = put(0); // starts a write at once
    const rest = await Promise.all([1, 2, 3, 4].map((i) => put(i))); // queued behind it: one batch
    expect(await first).toBe('id0');
    expect(rest).toEqual(['id1', 'id2', 'id3', 'id4']);
    expect(calls).toEqual([[0], [1, 2, 3, 4]]);
  });

  it('fails every caller of a failed batch, and carries on with the next', async () => {
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

  it('splits large bursts into batches of the maximum size', async () => {
    const sizes: number[] = [];
    const put = createBatcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 3);
    await Promise.all(Array.from({ length: 8 }, (_, i) => put(i)));
    expect(sizes).toEqual([1, 3, 3, 1]);
  });
});
