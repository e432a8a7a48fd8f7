import { describe, expect, it } from 'vitest';
import { createWriteBehind } from '../../src/store/batch.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('write-behind queue', () => {
  it('acknowledges at once and writes what arrives together in one call', async () => {
    const calls: number[][] = [];
    const q = createWriteBehind<number>(async (items) => void calls.push(items), { delayMs: 5, onError: () => {} });
    await Promise.all([1, 2, 3].map((i) => q.push(i)));
    expect(calls).toEqual([]);
    expect(q.pending()).toBe(3);
    await q.flush();
    expect(calls).toEqual([[1, 2, 3]]);
    expect(q.pending()).toBe(0);
  });

  it('flush waits for the batch being written and for what is queued behind it', async () => {
    const written: number[] = [];
    const q = createWriteBehind<number>(async (items) => {
      await new Promise((r) => setTimeout(r, 20));
      written.push(...items);
    }, { delayMs: 0, onError: () => {} });
    void q.push(1);
    await new Promise((r) => setTimeout(r, 5)); // 1 is being written
    void q.push(2);
    await q.flush();
    expect(written).toEqual([1, 2]);
  });

  it('past the bound, callers wait for their own write (backpressure) and learn of its failure', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = createWriteBehind<number>(async (items) => {
      await gate;
      if (items.includes(13)) throw new Error('bad row 13');
    }, { maxPending: 3, delayMs: 0, onError: () => {} });
    let settled = 0;
    const early = [1, 2].map((i) => q.push(i).then(() => settled++));
    await Promise.all(early);
    expect(settled).toBe(2);
    const late = q.push(13).then(() => 'ok', (e: Error) => e.message);
    await tick();
    expect(q.pending()).toBe(3);
    release();
    expect(await late).toBe('bad row 13');
  });

  it('a bad row fails alone and is reported; the rows of its batch are written', async () => {
    const written: number[] = [];
    const failed: number[] = [];
    const q = createWriteBehind<number>(async (items) => {
      if (items.includes(13)) throw new Error('bad row 13');
      written.push(...items);
    }, { onError: (_e, item) => failed.push(item) });
    for (const i of [1, 13, 3]) void q.push(i);
    await q.flush();
    expect(written).toEqual([1, 3]);
    expect(failed).toEqual([13]);
  });
});

describe('write-behind batches', () => {
  it('splits what is pending into statements of at most maxBatch rows', async () => {
    const sizes: number[] = [];
    const q = createWriteBehind<number>(async (items) => void sizes.push(items.length), { maxBatch: 3, delayMs: 1, onError: () => {} });
    for (let i = 0; i < 4; i++) await q.push(i);
    await q.flush();
    expect(sizes).toEqual([3, 1]);
  });
});
