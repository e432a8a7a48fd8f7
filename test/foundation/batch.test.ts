import { describe, expect, it } from 'vitest';
import { createWriteBehind } from '../../src/store/batch.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('write-behind', () => {
  it('acknowledges at once and writes what arrives together in one statement', async () => {
    const calls: number[][] = [];
    const wb = createWriteBehind<number>(async (items) => { calls.push(items); }, { delayMs: 5, onError: () => {} });
    await Promise.all([1, 2, 3].map((i) => wb.push(i)));
    expect(calls).toEqual([]); // not written yet: acknowledged before
    expect(wb.pending()).toBe(3);
    await wb.flush();
    expect(calls).toEqual([[1, 2, 3]]);
    expect(wb.pending()).toBe(0);
  });

  it('flush waits for a write in flight and for what queued behind it', async () => {
    const calls: number[][] = [];
    const wb = createWriteBehind<number>(async (items) => { calls.push(items); await tick(20); }, { delayMs: 1, onError: () => {} });
    await wb.push(1);
    await tick(5); // the first write is in flight
    await wb.push(2);
    await wb.flush();
    expect(calls).toEqual([[1], [2]]);
  });

  it('a bad item fails alone and is reported; the items that shared its batch are written', async () => {
    const written: number[] = [];
    const failed: number[] = [];
    const wb = createWriteBehind<number>(async (items) => {
      if (items.includes(13)) throw new Error('bad row 13');
      written.push(...items);
    }, { onError: (_e, item) => failed.push(item) });
    for (const i of [1, 13, 3]) await wb.push(i);
    await wb.flush();
    expect(written).toEqual([1, 3]);
    expect(failed).toEqual([13]);
  });

  it('past maxPending a push waits for its own write (backpressure), and batches keep their maximum size', async () => {
    const sizes: number[] = [];
    let release = (): void => {};
    const gate = new Promise<void>((r) => (release = r));
    const wb = createWriteBehind<number>(async (items) => { sizes.push(items.length); await gate; }, { maxBatch: 3, maxPending: 4, delayMs: 1, onError: () => {} });
    const early = [0, 1, 2].map((i) => wb.push(i));
    await Promise.all(early); // under the bound: acknowledged at once
    let lateDone = false;
    const late = wb.push(3).then(() => { lateDone = true; });
    await tick(10);
    expect(lateDone).toBe(false); // the database is not keeping up: the caller waits
    release();
    await late;
    await wb.flush();
    expect(sizes).toEqual([3, 1]);
  });
});
